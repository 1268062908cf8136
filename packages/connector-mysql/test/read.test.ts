import { describe, expect, test } from 'vitest';
import { collect, freezableProxy, runningStatements, sleep, useDatabase } from './support.js';

/** What the server says about the thread running a statement that contains `marker`. */
async function serverSide(db: ReturnType<ReturnType<typeof useDatabase>['db']>, marker: string) {
  const [rows] = await db.admin.query(
    'SELECT STATE AS state, EXAMINED_ROWS AS examined FROM information_schema.PROCESSLIST WHERE INFO LIKE ? AND ID <> CONNECTION_ID()',
    [`%${marker}%`],
  );
  return (rows as Array<{ state: string; examined: number }>)[0];
}

describe('streaming read', () => {
  const { db, open } = useDatabase();

  test.each(['row objects', 'positional()'] as const)(
    'backpressure (%s): while the consumer waits, the server is not read further',
    async (shape) => {
      const connection = await open();
      const table = shape === 'row objects' ? 'wide_rows' : 'wide_lane_rows';
      await connection.query(`CREATE TABLE ${table} (id INT PRIMARY KEY, pad CHAR(200))`);
      await connection.query(`INSERT INTO ${table} SELECT seq, REPEAT('x', 200) FROM seq_1_to_150000`);
      const stream = connection.read({
        query: `SELECT id, pad AS backpressure_probe FROM ${table}`,
        batchSize: 100,
      });
      const lane = stream.positional?.();
      expect(lane).toBeDefined();
      const iterator: AsyncIterator<unknown[]> =
        shape === 'row objects' || lane === undefined
          ? stream[Symbol.asyncIterator]()
          : lane[Symbol.asyncIterator]();
      await iterator.next();
      await sleep(500);
      const first = await serverSide(db(), 'backpressure_probe');
      await sleep(500);
      const second = await serverSide(db(), 'backpressure_probe');
      // The server is stuck writing to a full socket: it has produced only what the buffers hold.
      expect(second?.state).toMatch(/writing to net|sending data/i);
      expect(second?.examined).toBe(first?.examined);
      expect(Number(second?.examined)).toBeLessThan(100_000);
      // Reading on gets every row.
      let rows = 100;
      for (let step = await iterator.next(); !step.done; step = await iterator.next())
        rows += step.value.length;
      expect(rows).toBe(150_000);
    },
  );

  test('an early break kills the statement and returns the connection to the pool', async () => {
    const connection = await open({ pool_size: 1, max_overflow: 0 });
    for await (const batch of connection.read({
      query: 'SELECT seq AS early_break FROM seq_1_to_10000000',
      batchSize: 10,
    })) {
      expect(batch).toHaveLength(10);
      break;
    }
    await expect.poll(() => runningStatements(db(), '%early_break%'), { timeout: 5_000 }).toEqual([]);
    await expect.poll(() => connection.poolStats().busy, { timeout: 5_000 }).toBe(0);
    // pool_size 1: the next statement gets that same connection.
    expect((await connection.query('SELECT 7 AS seven')).rows).toEqual([{ seven: 7 }]);
  });

  test.each(['row objects', 'positional()'] as const)(
    'an abort while the consumer holds the stream (%s) ends the loop with ABORTED, kills the statement and frees the connection',
    async (shape) => {
      const connection = await open({ pool_size: 1, max_overflow: 0 });
      const controller = new AbortController();
      const stream = connection.read({
        query: 'SELECT seq AS aborted_read FROM seq_1_to_10000000',
        batchSize: 10,
        signal: controller.signal,
      });
      const batches = shape === 'row objects' ? stream : (stream.positional?.() ?? stream);
      let seen = 0;
      const loop = (async () => {
        for await (const _ of batches) {
          seen += 1;
          if (seen === 2) setTimeout(() => controller.abort(new Error('user pressed stop')), 200);
          await sleep(50);
        }
      })();
      await expect(loop).rejects.toMatchObject({ code: 'ABORTED' });
      await expect.poll(() => runningStatements(db(), '%aborted_read%'), { timeout: 5_000 }).toEqual([]);
      await expect.poll(() => connection.poolStats().busy, { timeout: 5_000 }).toBe(0);
      expect((await connection.query('SELECT 9 AS nine')).rows).toEqual([{ nine: 9 }]);
    },
  );

  test('timeoutMs bounds the whole read: a consumer still reading when it passes gets QUERY_TIMEOUT, and the statement is killed', async () => {
    const connection = await open({ pool_size: 1, max_overflow: 0 });
    const started = Date.now();
    const loop = (async () => {
      for await (const _ of connection.read({
        query: 'SELECT seq AS timed_read FROM seq_1_to_10000000',
        batchSize: 10,
        timeoutMs: 400,
      }))
        await sleep(20);
    })();
    await expect(loop).rejects.toMatchObject({ code: 'QUERY_TIMEOUT', category: 'timeout' });
    expect(Date.now() - started).toBeLessThan(2_000);
    await expect.poll(() => runningStatements(db(), '%timed_read%'), { timeout: 5_000 }).toEqual([]);
    await expect.poll(() => connection.poolStats().busy, { timeout: 5_000 }).toBe(0);
  });

  test('an error thrown by the consumer releases the connection too', async () => {
    const connection = await open({ pool_size: 1, max_overflow: 0 });
    await expect(
      (async () => {
        for await (const _ of connection.read({ query: 'SELECT seq FROM seq_1_to_1000000' }))
          throw new Error('consumer failed');
      })(),
    ).rejects.toThrow('consumer failed');
    expect((await connection.query('SELECT 8 AS eight')).rows).toEqual([{ eight: 8 }]);
  });

  test('columns() are known before the first batch is consumed, and a statement error surfaces from the loop', async () => {
    const connection = await open();
    const stream = connection.read({ query: 'SELECT 1 AS a, CAST(2 AS DECIMAL(5,2)) AS b' });
    expect(await stream.columns()).toEqual([
      {
        name: 'a',
        type: { kind: 'integer', bits: 32, unsigned: false },
        nativeType: 'INT',
        nullable: false,
        primaryKey: false,
      },
      {
        name: 'b',
        type: { kind: 'decimal', precision: 5, scale: 2 },
        nativeType: 'DECIMAL(5,2)',
        nullable: false,
        primaryKey: false,
      },
    ]);
    expect(await collect(stream)).toEqual([{ a: 1, b: '2.00' }]);
    await expect(collect(connection.read({ query: 'SELECT nope FROM nowhere' }))).rejects.toMatchObject({
      code: 'TABLE_NOT_FOUND',
      category: 'not_found',
    });
  });

  test('columns() of a raw query: logical types from the result set, UNSIGNED and BIT included; ENUM as string', async () => {
    const connection = await open();
    await connection.query(
      "CREATE TABLE raw_types (u TINYINT UNSIGNED NOT NULL, big BIGINT UNSIGNED, b BIT(12), e ENUM('x','y'), t TIMESTAMP(3) NULL)",
    );
    const stream = connection.read({ query: 'SELECT u, big, b, e, t, u * 2 AS twice FROM raw_types' });
    const types = Object.fromEntries((await stream.columns()).map((column) => [column.name, column.type]));
    await collect(stream);
    expect(types).toEqual({
      u: { kind: 'integer', bits: 8, unsigned: true },
      big: { kind: 'integer', bits: 64, unsigned: true },
      b: { kind: 'integer', bits: 12, unsigned: true },
      // The result set carries no members: a table read gives enum('x','y').
      e: { kind: 'string' },
      t: { kind: 'timestamp', precision: 3 },
      twice: { kind: 'integer', bits: 32, unsigned: true },
    });
  });

  test('a stream that stalls (half-open link) fails after read_timeout instead of hanging', async () => {
    const proxy = await freezableProxy(db());
    try {
      const connection = await open({ host: '127.0.0.1', port: proxy.port, read_timeout: 1 });
      const started = Date.now();
      const failure = (async () => {
        let batches = 0;
        for await (const _ of connection.read({
          query: 'SELECT seq FROM seq_1_to_5000000',
          batchSize: 1000,
        })) {
          batches += 1;
          if (batches === 1) proxy.freeze();
        }
      })();
      await expect(failure).rejects.toMatchObject({
        code: 'QUERY_TIMEOUT',
        category: 'timeout',
        retryable: true,
      });
      expect(Date.now() - started).toBeLessThan(5_000);
    } finally {
      await proxy.close();
    }
  });
});
