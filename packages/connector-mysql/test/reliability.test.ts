import { doctor, isConnectorError } from '@osiris/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import {
  canaryLeaks,
  closedPort,
  configFor,
  errorOutputs,
  managedAlias,
  newCanary,
  runningStatements,
  silentListener,
  sleep,
  useDatabase,
} from './support.js';

/** Runs `body`'s connection work through core's manager; returns the error it failed with. */
async function failureOf(
  config: Record<string, unknown>,
  password: string,
  body: (connection: import('../src/index.js').MysqlConnection) => Promise<unknown>,
) {
  const alias = managedAlias(config, password);
  const started = performance.now();
  try {
    await body((await alias.manager.get(alias.reference)) as import('../src/index.js').MysqlConnection);
  } catch (error) {
    const elapsedMs = performance.now() - started;
    const report = await doctor({ registry: alias.registry, resolver: alias.resolver, timeoutMs: 1_500 });
    return { error, elapsedMs, report };
  } finally {
    await alias.manager.closeAll();
  }
  throw new Error('expected a failure');
}

describe('failures a user meets, each categorised, with a hint and no password in any output', () => {
  const { db } = useDatabase();
  const canary = newCanary();
  const user = `osiris_canary_${Math.random().toString(36).slice(2, 8)}`;

  beforeAll(async () => {
    // A real account whose password is the canary; it may read any database (so an unknown one says so).
    await db().admin.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', canary]);
    await db().admin.query('GRANT SELECT ON *.* TO ?@?', [user, '%']);
  });
  afterAll(async () => {
    await db().admin.query('DROP USER IF EXISTS ?@?', [user, '%']);
  });

  const expectNoLeak = (outcome: Awaited<ReturnType<typeof failureOf>>) => {
    expect(canaryLeaks([...errorOutputs(outcome.error), JSON.stringify(outcome.report)], canary)).toEqual([]);
  };

  test('wrong password → AUTH_FAILED (auth), "Check username and password"', async () => {
    const outcome = await failureOf({ ...configFor(db()), username: user }, `${canary}-wrong`, (c) =>
      c.check(),
    );
    expect(outcome.error).toMatchObject({
      code: 'AUTH_FAILED',
      category: 'auth',
      hint: 'Check username and password',
    });
    expect(outcome.report.results[0]).toMatchObject({ status: 'failed', category: 'auth' });
    expect(
      canaryLeaks([...errorOutputs(outcome.error), JSON.stringify(outcome.report)], `${canary}-wrong`),
    ).toEqual([]);
  });

  test('unknown database → DATABASE_NOT_FOUND (not_found)', async () => {
    const config = { ...configFor(db()), username: user, database: 'osiris_no_such_db' };
    const outcome = await failureOf(config, canary, (c) => c.check());
    expect(outcome.error).toMatchObject({ code: 'DATABASE_NOT_FOUND', category: 'not_found' });
    expect((outcome.error as Error).message).toContain('osiris_no_such_db');
    expect(outcome.report.results[0]).toMatchObject({ status: 'failed', category: 'not_found' });
    expectNoLeak(outcome);
  });

  test('no privilege on the table → PERMISSION_DENIED (permission)', async () => {
    await db().admin.query('CREATE TABLE secret_stuff (id INT)');
    const config = { ...configFor(db()), username: user };
    const outcome = await failureOf(config, canary, (c) =>
      c.write({ table: 'secret_stuff', rows: [[{ id: 1 }]] }),
    );
    expect(outcome.error).toMatchObject({ category: 'permission' });
    expectNoLeak(outcome);
  });

  test('closed port → CONNECTION_REFUSED (network)', async () => {
    const config = { ...configFor(db()), username: user, host: '127.0.0.1', port: await closedPort() };
    const outcome = await failureOf(config, canary, (c) => c.check());
    expect(outcome.error).toMatchObject({ code: 'CONNECTION_REFUSED', category: 'network', retryable: true });
    expectNoLeak(outcome);
  });

  test('a listener that accepts and never answers: check, query and read give up within their limits', async () => {
    const listener = await silentListener();
    try {
      const config = {
        ...configFor(db()),
        username: user,
        host: '127.0.0.1',
        port: listener.port,
        connect_timeout: 1,
      };
      const check = await failureOf(config, canary, (c) => c.check({ timeoutMs: 400 }));
      expect(check.error).toMatchObject({ category: 'timeout' });
      expect(check.elapsedMs).toBeLessThan(900);
      const query = await failureOf(config, canary, (c) => c.query('SELECT 1', [], { timeoutMs: 400 }));
      expect(query.error).toMatchObject({ category: 'timeout' });
      expect(query.elapsedMs).toBeLessThan(900);
      // Without a call limit, connect_timeout (1 s) bounds the wait.
      const read = await failureOf(config, canary, async (c) => {
        for await (const _ of c.read({ query: 'SELECT 1' })) break;
      });
      expect(read.error).toMatchObject({ code: 'CONNECT_TIMEOUT', category: 'timeout' });
      expect(read.elapsedMs).toBeLessThan(2_000);
      for (const outcome of [check, query, read]) expectNoLeak(outcome);
    } finally {
      await listener.close();
    }
  });

  test('TLS required against a server without it → TLS', async () => {
    const config = { ...configFor(db()), username: user, require_ssl: true };
    const outcome = await failureOf(config, canary, (c) => c.check());
    expect(outcome.error).toMatchObject({ code: 'TLS', category: 'network' });
    expect((outcome.error as { hint?: string }).hint).toMatch(/TLS|require_ssl/);
    expectNoLeak(outcome);
  });

  test('a connection killed mid-stream is a retryable error, and the pool serves the next query', async () => {
    const alias = managedAlias({ ...configFor(db()), username: user, pool_size: 1, max_overflow: 0 }, canary);
    const connection = (await alias.manager.get(
      alias.reference,
    )) as import('../src/index.js').MysqlConnection;
    try {
      const stream = connection.read({
        query: 'SELECT seq AS killed_mid_stream FROM seq_1_to_5000000',
        batchSize: 100,
      });
      let failure: unknown;
      let batches = 0;
      try {
        for await (const _ of stream) {
          batches += 1;
          if (batches === 1) {
            const [id] = await runningStatements(db(), '%killed_mid_stream%');
            await db().admin.query(`KILL CONNECTION ${id}`);
          }
        }
      } catch (error) {
        failure = error;
      }
      expect(isConnectorError(failure)).toBe(true);
      expect(failure).toMatchObject({ code: 'CONNECTION_LOST', category: 'network', retryable: true });
      expect(canaryLeaks(errorOutputs(failure), canary)).toEqual([]);
      const next = await connection.query('SELECT 42 AS answer');
      expect(next.rows).toEqual([{ answer: 42 }]);
    } finally {
      await alias.manager.closeAll();
    }
  });
});

describe('lock conflicts are retryable', () => {
  const { db, open } = useDatabase();

  test('lock wait timeout (1205) → LOCK_TIMEOUT; deadlock (1213) → DEADLOCK; both retryable', async () => {
    await db().admin.query('CREATE TABLE contended (id INT PRIMARY KEY, v INT)');
    await db().admin.query('INSERT INTO contended SELECT seq, 0 FROM seq_1_to_10');
    // pool_size 1: every statement of the test runs on the same session (a transaction spans them).
    const connection = await open({ pool_size: 1, max_overflow: 0 });

    await db().admin.query('START TRANSACTION');
    await db().admin.query('SELECT * FROM contended WHERE id = 1 FOR UPDATE');
    await connection.query('SET SESSION innodb_lock_wait_timeout = 1');
    await expect(connection.query('UPDATE contended SET v = 1 WHERE id = 1')).rejects.toMatchObject({
      code: 'LOCK_TIMEOUT',
      category: 'timeout',
      retryable: true,
    });
    await db().admin.query('ROLLBACK');

    // The other transaction holds more rows, so the server picks ours as the deadlock victim.
    await db().admin.query('START TRANSACTION');
    await db().admin.query('UPDATE contended SET v = 2 WHERE id = 1 OR id >= 3');
    await connection.query('SET SESSION innodb_lock_wait_timeout = 20');
    await connection.query('START TRANSACTION');
    await connection.query('UPDATE contended SET v = 3 WHERE id = 2');
    const blocked = db().admin.query('UPDATE contended SET v = 2 WHERE id = 2');
    await sleep(200);
    await expect(connection.query('UPDATE contended SET v = 3 WHERE id = 1')).rejects.toMatchObject({
      code: 'DEADLOCK',
      retryable: true,
    });
    await blocked;
    await db().admin.query('COMMIT');
    await connection.query('ROLLBACK');
  });
});

describe('the pool under load and at close', () => {
  const { db, open } = useDatabase();

  test('500 concurrent queries through a pool of 2 + 3 all complete or fail POOL_EXHAUSTED, never hang', async () => {
    const connection = await open({ pool_size: 2, max_overflow: 3, pool_timeout: 0.5 });
    let maxOpen = 0;
    const sampler = setInterval(() => {
      maxOpen = Math.max(maxOpen, connection.poolStats().open + connection.poolStats().opening);
    }, 2);
    const started = performance.now();
    const outcomes = await Promise.allSettled(
      Array.from({ length: 500 }, (_, i) => connection.query('SELECT SLEEP(0.01) AS s, ? AS i', [i])),
    );
    clearInterval(sampler);
    const failures = outcomes.filter((outcome) => outcome.status === 'rejected');
    expect(failures.length).toBeGreaterThan(0);
    expect(failures.length).toBeLessThan(500);
    for (const failure of failures) {
      expect((failure as PromiseRejectedResult).reason).toMatchObject({
        code: 'POOL_EXHAUSTED',
        category: 'timeout',
      });
    }
    expect(maxOpen).toBeLessThanOrEqual(5);
    expect(performance.now() - started).toBeLessThan(10_000);
    // The pool is fine afterwards.
    expect((await connection.query('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
    await connection.close();
  });

  test("after closeAll() the server's process list shows none of our connections", async () => {
    const alias = managedAlias({ ...configFor(db()), pool_size: 3, max_overflow: 3 });
    const connection = (await alias.manager.get(
      alias.reference,
    )) as import('../src/index.js').MysqlConnection;
    const ids = new Set<number>();
    await Promise.all(
      Array.from({ length: 6 }, async () => {
        const { rows } = await connection.query('SELECT CONNECTION_ID() AS id, SLEEP(0.2)');
        ids.add(Number((rows[0] as { id: bigint }).id));
      }),
    );
    // One stream left open mid-way and one statement still running when closing.
    const stream = connection.read({ query: 'SELECT seq FROM seq_1_to_1000000', batchSize: 10 });
    await stream[Symbol.asyncIterator]().next();
    const running = connection.query('SELECT SLEEP(5)').catch((error: unknown) => error);
    await sleep(100);
    expect(ids.size).toBeGreaterThan(1);
    await alias.manager.closeAll();
    expect(await running).toMatchObject({ category: 'network' });
    const listed = async () => {
      const [rows] = await db().admin.query(
        'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE DB = ?',
        [db().database],
      );
      return (rows as Array<{ id: number }>)
        .map((row) => Number(row.id))
        .filter((id) => id !== db().admin.threadId);
    };
    await expect.poll(listed, { timeout: 3_000 }).toEqual([]);
  });
});
