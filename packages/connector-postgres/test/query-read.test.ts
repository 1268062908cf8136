import { describe, expect, test } from 'vitest';
import { collect, runningStatements, useDatabase } from './support.js';

/** query() and read(): parameters, one statement per call, and cancellation that reaches the server. */
describe('query and read', () => {
  const { db, open } = useDatabase();

  test('query() binds parameters and reports the command and row count', async () => {
    const connection = await open();
    await connection.query('CREATE TABLE items (id int PRIMARY KEY, name text)');
    const insert = await connection.query(
      'INSERT INTO items SELECT g, $1 || g FROM generate_series(1, $2::int) g',
      ['item ', 5],
    );
    expect(insert).toMatchObject({ command: 'INSERT', rowCount: 5, rows: [] });
    const { rows, columns } = await connection.query(
      'SELECT id, name FROM items WHERE id = ANY($1) ORDER BY id',
      [[2, 4]],
    );
    expect(rows).toEqual([
      { id: 2, name: 'item 2' },
      { id: 4, name: 'item 4' },
    ]);
    expect(columns.map((column) => column.nativeType)).toEqual(['integer', 'text']);
  });

  test('one call runs one statement: a second one is refused by the server', async () => {
    const connection = await open();
    await expect(connection.query('SELECT 1; DELETE FROM items')).rejects.toMatchObject({
      category: 'config',
    });
    expect((await db().sql('SELECT count(*)::int AS n FROM items')).rows[0]?.n).toBe(5);
    await expect(
      collect(connection.read({ query: 'SELECT 1) TO STDOUT; DELETE FROM items; COPY (SELECT 1' })),
    ).rejects.toMatchObject({
      code: 'MULTIPLE_STATEMENTS',
    });
    expect((await db().sql('SELECT count(*)::int AS n FROM items')).rows[0]?.n).toBe(5);
  });

  test('a query past its timeoutMs is cancelled on the server, and the connection is reused', async () => {
    const connection = await open({ pool_size: 1 });
    const started = performance.now();
    await expect(connection.query('SELECT pg_sleep(30)', [], { timeoutMs: 300 })).rejects.toMatchObject({
      code: 'QUERY_TIMEOUT',
      category: 'timeout',
    });
    expect(performance.now() - started).toBeLessThan(5_000);
    expect(await runningStatements(db(), '%pg_sleep(30)%')).toEqual([]);
    expect((await connection.query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  });

  test('aborting a query cancels it on the server', async () => {
    const connection = await open();
    const controller = new AbortController();
    const running = connection.query('SELECT pg_sleep(30)', [], { signal: controller.signal });
    await expect.poll(() => runningStatements(db(), '%pg_sleep(30)%')).toHaveLength(1);
    controller.abort();
    await expect(running).rejects.toMatchObject({ code: 'ABORTED' });
    await expect.poll(() => runningStatements(db(), '%pg_sleep(30)%')).toEqual([]);
  });

  test('a pool whose connections all stay busy says so (POOL_EXHAUSTED) after connect_timeout', async () => {
    const connection = await open({ pool_size: 1, connect_timeout: 0.5 });
    const controller = new AbortController();
    const busy = connection.query('SELECT pg_sleep(30)', [], { signal: controller.signal });
    await expect.poll(() => runningStatements(db(), '%pg_sleep(30)%')).toHaveLength(1);
    await expect(connection.query('SELECT 1')).rejects.toMatchObject({
      code: 'POOL_EXHAUSTED',
      category: 'timeout',
    });
    controller.abort();
    await expect(busy).rejects.toMatchObject({ code: 'ABORTED' });
  });

  test('statement_timeout is the server-side limit of every statement', async () => {
    const connection = await open({ statement_timeout: 0.3 });
    await expect(connection.query('SELECT pg_sleep(5)')).rejects.toMatchObject({
      code: 'QUERY_TIMEOUT',
      details: { sqlState: '57014' },
    });
  });

  test('read() takes parameters (written into the COPY as literals, not inside strings or comments)', async () => {
    const connection = await open();
    const rows = await collect(
      connection.read({
        query:
          "SELECT id, '$1' AS literal, $$ $2 $$ AS dollar FROM items WHERE id > $1 /* $2 */ AND name <> $2 ORDER BY id;",
        params: [3, "it's"],
      }),
    );
    expect(rows).toEqual([
      { id: 4, literal: '$1', dollar: ' $2 ' },
      { id: 5, literal: '$1', dollar: ' $2 ' },
    ]);
  });

  test.each([
    ['row objects', false],
    ['positional batches (the fast lane)', true],
  ])(
    'leaving a big read of %s early cancels the COPY on the server and gives the connection back',
    async (_, positional) => {
      const connection = await open({ pool_size: 1 });
      const stream = connection.read({
        query: 'SELECT g, repeat($1, 100) FROM generate_series(1, 5000000) g',
        params: ['x'],
        batchSize: 100,
      });
      let batches = 0;
      for await (const batch of positional ? (stream.positional?.() ?? []) : stream) {
        expect(batch).toHaveLength(100);
        if (++batches === 3) break;
      }
      // The client hears the cancel's error before the backend reports itself idle: poll, briefly.
      await expect.poll(() => runningStatements(db(), 'COPY%'), { timeout: 5_000 }).toEqual([]);
      const stats = connection.poolStats();
      expect(stats.total - stats.idle).toBe(0);
      // The one pooled connection is healthy: the next call runs on it.
      expect((await connection.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    },
  );

  test('a slow consumer holds the server back instead of buffering the result (backpressure)', async () => {
    const connection = await open();
    const stream = connection.read({
      query: 'SELECT g, repeat($1, 1000) FROM generate_series(1, 2000000) g',
      params: ['y'],
      batchSize: 10,
    });
    const iterator = stream[Symbol.asyncIterator]();
    await iterator.next();
    const before = process.memoryUsage().rss;
    await new Promise((resolve) => setTimeout(resolve, 1_500));
    // 2M rows of 1 KB is 2 GB; a reader that buffered would have grown by far more than this.
    expect(process.memoryUsage().rss - before).toBeLessThan(100 * 1024 * 1024);
    // The COPY is still running on the server, waiting for us.
    expect(await runningStatements(db(), 'COPY%')).toHaveLength(1);
    await iterator.return?.();
    await expect.poll(() => runningStatements(db(), 'COPY%')).toEqual([]);
  });

  test('a read past its timeoutMs stops with QUERY_TIMEOUT and cancels the COPY', async () => {
    const connection = await open();
    const read = collect(connection.read({ query: 'SELECT pg_sleep(30)', timeoutMs: 300 }));
    await expect(read).rejects.toMatchObject({ code: 'QUERY_TIMEOUT' });
    await expect.poll(() => runningStatements(db(), '%pg_sleep(30)%')).toEqual([]);
  });
});
