import { describe, expect, test } from 'vitest';
import { collect, runningStatements, sleep, useDatabase } from './support.js';

describe('query', () => {
  const { db, open } = useDatabase();

  test('binds parameters and returns rows with column metadata', async () => {
    const connection = await open();
    const result = await connection.query('SELECT ? AS a, ? + 1 AS b, ? AS c', ["it's", 41, null]);
    expect(result.rows).toEqual([{ a: "it's", b: 42, c: null }]);
    expect(result.columns.map((column) => column.name)).toEqual(['a', 'b', 'c']);
  });

  test('reports affected rows of a statement without a result set', async () => {
    const connection = await open();
    await connection.query('CREATE TABLE counted (id INT PRIMARY KEY)');
    const result = await connection.query('INSERT INTO counted VALUES (1), (2), (3)');
    expect(result).toMatchObject({ rows: [], columns: [], affectedRows: 3 });
  });

  test('a timed-out statement is killed on the server, and the connection serves the next one', async () => {
    const connection = await open({ pool_size: 1, max_overflow: 0 });
    const started = Date.now();
    await expect(
      connection.query('SELECT SLEEP(20) AS slept_a', [], { timeoutMs: 300 }),
    ).rejects.toMatchObject({
      code: 'QUERY_TIMEOUT',
      category: 'timeout',
    });
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect
      .poll(() => runningStatements(db(), '%SLEEP(20) AS slept_a%'), { timeout: 5_000 })
      .toEqual([]);
    const next = await connection.query('SELECT 1 AS one');
    expect(next.rows).toEqual([{ one: 1 }]);
  });

  test('an aborted statement is killed on the server', async () => {
    const connection = await open();
    const controller = new AbortController();
    const pending = connection.query('SELECT SLEEP(20) AS slept_b', [], { signal: controller.signal });
    await sleep(200);
    controller.abort();
    await expect(pending).rejects.toMatchObject({ code: 'ABORTED' });
    await expect
      .poll(() => runningStatements(db(), '%SLEEP(20) AS slept_b%'), { timeout: 5_000 })
      .toEqual([]);
  });

  test('read streams a table in batches', async () => {
    const connection = await open();
    await connection.query('CREATE TABLE streamed (id INT PRIMARY KEY, name VARCHAR(20))');
    await connection.query("INSERT INTO streamed SELECT seq, CONCAT('n', seq) FROM seq_1_to_2500");
    const stream = connection.read({ table: 'streamed', orderBy: 'id', batchSize: 1000 });
    const sizes: number[] = [];
    for await (const batch of stream) sizes.push(batch.length);
    expect(sizes).toEqual([1000, 1000, 500]);
    expect((await stream.columns()).map((column) => column.name)).toEqual(['id', 'name']);
    const rows = await collect(
      connection.read({ table: 'streamed', where: { id: [1, 2] }, orderBy: 'id DESC' }),
    );
    expect(rows).toEqual([
      { id: 2, name: 'n2' },
      { id: 1, name: 'n1' },
    ]);
  });
});
