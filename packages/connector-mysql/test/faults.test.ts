/**
 * Faults on a private mariadbd (never the shared server): a connection cut right after the COMMIT reached the
 * server, and a server frozen with SIGSTOP. Every write must say its true fate, every call must end in time.
 */
import { type AddressInfo, createServer, connect as netConnect, type Socket } from 'node:net';
import type { Row } from '@osiris/core';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { MysqlConnection } from '../src/index.js';
import { type PrivateMariadb, startPrivateMariadb } from './private-mariadb.js';
import { connect, sleep } from './support.js';

let server: PrivateMariadb;
let proxy: CommitCutter;
const opened: MysqlConnection[] = [];

beforeAll(async () => {
  server = await startPrivateMariadb();
  proxy = await commitCutter(server.port);
}, 60_000);

afterAll(async () => {
  server?.thaw();
  await Promise.all(opened.map((connection) => connection.close()));
  await proxy?.close();
  await server?.stop();
}, 30_000);

async function open(port: number, overrides: Record<string, unknown> = {}): Promise<MysqlConnection> {
  const connection = await connect({
    host: '127.0.0.1',
    port,
    username: 'root',
    database: 'faults',
    ...overrides,
  });
  opened.push(connection);
  return connection;
}

function* batches(count: number, size: number): Generator<Row[]> {
  for (let batch = 0; batch < count; batch++) {
    yield Array.from({ length: size }, (_, offset) => ({
      id: batch * size + offset + 1,
      note: `row ${offset}`,
    }));
  }
}

async function count(connection: MysqlConnection, table: string): Promise<number> {
  const { rows } = await connection.query(`SELECT COUNT(*) AS n FROM ${table}`);
  return Number((rows[0] as { n: bigint }).n);
}

/**
 * A proxy to the private server that, once armed, lets the `nth` statement starting with a given text through to
 * the server, then cuts the connection before the server's answer can come back: the server runs it (a COMMIT
 * commits), the client never hears it.
 */
interface CommitCutter {
  port: number;
  /** Cut (or, `stall`, only silence) the connection carrying the `nth` statement starting with `prefix` from now on. */
  armAt(nth: number, prefix?: string, stall?: boolean, onCut?: () => void): void;
  close(): Promise<void>;
}

/** A COM_QUERY packet: 4 header bytes, 0x03, then the statement text. */
const statementOf = (chunk: Buffer) => (chunk[4] === 0x03 ? chunk.subarray(5).toString('latin1') : '');

async function commitCutter(target: number): Promise<CommitCutter> {
  let remaining = 0;
  let wanted = 'COMMIT';
  let stalls = false;
  let onCutNow: (() => void) | undefined;
  const sockets = new Set<Socket>();
  const listener = createServer((client) => {
    const upstream = netConnect(target, '127.0.0.1');
    sockets.add(client).add(upstream);
    let cut = false;
    client.on('data', (chunk: Buffer) => {
      if (cut) return;
      upstream.write(chunk);
      if (remaining > 0 && statementOf(chunk).startsWith(wanted)) {
        remaining -= 1;
        if (remaining === 0) {
          cut = true;
          onCutNow?.();
          // Give the server time to commit, then drop both sides before its OK reaches the client.
          if (!stalls)
            setTimeout(() => {
              client.destroy();
              upstream.destroy();
            }, 300);
        }
      }
    });
    upstream.on('data', (chunk: Buffer) => {
      if (!cut) client.write(chunk);
    });
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
  return {
    port: (listener.address() as AddressInfo).port,
    armAt: (nth, prefix = 'COMMIT', stall = false, onCut = undefined) => {
      onCutNow = onCut;
      remaining = nth;
      wanted = prefix;
      stalls = stall;
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        listener.close(() => resolve());
      }),
  };
}

describe('a connection lost during the COMMIT', () => {
  test('an INSERT append reports its batch as fate-unknown (not retryable), and the batch is in fact committed', async () => {
    const direct = await open(server.port);
    await direct.query('CREATE TABLE cut_insert (id INT PRIMARY KEY, note TEXT)');
    const connection = await open(proxy.port);
    proxy.armAt(3);
    const failure = await connection
      .write({ table: 'cut_insert', rows: batches(5, 2_000), method: 'insert' })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: 'WRITE_FATE_UNKNOWN',
      retryable: false,
      details: { batch: 3, firstRow: 4_001, lastRow: 6_000, committedRows: 4_000 },
    });
    expect(String((failure as Error).message)).not.toMatch(/rolled back/);
    // The server did commit the batch: "rolled back, retry" would have written rows 4001–6000 twice.
    expect(await count(direct, 'cut_insert')).toBe(6_000);
  });

  test('a LOAD DATA append reports the whole write as fate-unknown', async () => {
    const direct = await open(server.port);
    await direct.query('CREATE TABLE cut_load (id INT PRIMARY KEY, note TEXT)');
    const connection = await open(proxy.port);
    proxy.armAt(1);
    await expect(
      connection.write({ table: 'cut_load', rows: batches(4, 1_000), method: 'load-data' }),
    ).rejects.toMatchObject({
      code: 'WRITE_FATE_UNKNOWN',
      retryable: false,
      details: { firstRow: 1, lastRow: 4_000 },
    });
    expect(await count(direct, 'cut_load')).toBe(4_000);
  });

  test('a COMMIT the server never answers (read_timeout) is fate-unknown too, not "rolled back"', async () => {
    const direct = await open(server.port);
    await direct.query('CREATE TABLE stalled_commit (id INT PRIMARY KEY, note TEXT)');
    const connection = await open(proxy.port, { read_timeout: 1 });
    proxy.armAt(2, 'COMMIT', true);
    await expect(
      connection.write({ table: 'stalled_commit', rows: batches(3, 500), method: 'insert' }),
    ).rejects.toMatchObject({
      code: 'WRITE_FATE_UNKNOWN',
      category: 'timeout',
      retryable: false,
      details: { batch: 2, firstRow: 501, lastRow: 1_000, committedRows: 500 },
    });
    expect(await count(direct, 'stalled_commit')).toBe(1_000);
  });

  test('an abort while the COMMIT is on its way is not reported as ABORTED: the write waits for the COMMIT', async () => {
    const direct = await open(server.port);
    await direct.query('CREATE TABLE aborted_commit (id INT PRIMARY KEY, note TEXT)');
    const connection = await open(proxy.port, { read_timeout: 1 });
    const controller = new AbortController();
    proxy.armAt(2, 'COMMIT', true, () => controller.abort(new Error('user pressed stop')));
    await expect(
      connection.write({
        table: 'aborted_commit',
        rows: batches(3, 500),
        method: 'insert',
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: 'WRITE_FATE_UNKNOWN', details: { batch: 2, committedRows: 500 } });
    expect(await count(direct, 'aborted_commit')).toBe(1_000);
  });

  test('an upsert says the batch may be stored and stays retryable (re-running it is safe)', async () => {
    const direct = await open(server.port);
    await direct.query('CREATE TABLE cut_upsert (id INT PRIMARY KEY, note TEXT)');
    const connection = await open(proxy.port);
    proxy.armAt(2);
    const failure = await connection
      .write({ table: 'cut_upsert', rows: batches(3, 500), mode: 'upsert' })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({ code: 'CONNECTION_LOST', retryable: true, details: { batch: 2 } });
    expect(String((failure as Error).message)).toMatch(/may or may not be stored/);
    await connection.write({ table: 'cut_upsert', rows: batches(3, 500), mode: 'upsert' });
    expect(await count(direct, 'cut_upsert')).toBe(1_500);
  });
});

async function tables(connection: MysqlConnection, prefix: string): Promise<string[]> {
  const { rows } = await connection.query(
    'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE ? ORDER BY 1',
    [`${prefix}%`],
  );
  return rows.map((row) => String((row as { name: string }).name));
}

describe('replace under a lost connection', () => {
  test('a connection lost after the RENAME committed is a success; the old copy left behind goes with the next replace', async () => {
    const direct = await open(server.port);
    await direct.query('CREATE TABLE swapped (id INT PRIMARY KEY, note TEXT)');
    await direct.write({ table: 'swapped', rows: batches(1, 300) });
    const connection = await open(proxy.port);
    proxy.armAt(1, 'SELECT COUNT(*) AS n FROM');
    const result = await connection.write({ table: 'swapped', mode: 'replace', rows: batches(2, 1_000) });
    expect(result).toMatchObject({ rowsWritten: 2_000 });
    expect(await count(direct, 'swapped')).toBe(2_000);
    expect(await tables(direct, 'swapped__osiris_old_')).toHaveLength(1);
    await direct.write({ table: 'swapped', mode: 'replace', rows: batches(1, 10) });
    expect(await tables(direct, 'swapped')).toEqual(['swapped']);
  });

  test('a replace cut mid-load leaves the table unchanged, says so, and its shadow is swept by the next replace', async () => {
    const direct = await open(server.port);
    await direct.query('CREATE TABLE shadowed (id INT PRIMARY KEY, note TEXT)');
    await direct.write({ table: 'shadowed', rows: batches(1, 300) });
    const connection = await open(proxy.port);
    proxy.armAt(2);
    const failure = await connection
      .write({ table: 'shadowed', mode: 'replace', rows: batches(4, 500), method: 'insert' })
      .catch((error: unknown) => error);
    expect(failure).toMatchObject({
      code: 'CONNECTION_LOST',
      retryable: true,
      details: { committedRows: 0 },
    });
    expect(String((failure as Error).message)).toMatch(/shadowed is unchanged/);
    expect(String((failure as Error).message)).not.toMatch(/stay committed/);
    expect(await count(direct, 'shadowed')).toBe(300);
    // The cut connection could not drop its shadow (the server frees its lock once it sees the connection die).
    const [shadow] = await tables(direct, 'shadowed__osiris_new_');
    expect(shadow).toBeDefined();
    await released(direct, shadow as string);
    await direct.write({ table: 'shadowed', mode: 'replace', rows: batches(1, 10) });
    expect(await tables(direct, 'shadowed')).toEqual(['shadowed']);
    expect(await count(direct, 'shadowed')).toBe(10);
  });

  test('the sweep never drops a companion a running replace owns (its lock is held)', async () => {
    const direct = await open(server.port);
    await direct.query('CREATE TABLE owned (id INT PRIMARY KEY, note TEXT)');
    await direct.query('CREATE TABLE owned__osiris_new_0badf00d LIKE owned');
    const owner = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
    try {
      await owner.query("SELECT GET_LOCK('osiris_replace_0badf00d', 0)");
      await direct.write({ table: 'owned', mode: 'replace', rows: batches(1, 10) });
      expect(await tables(direct, 'owned')).toEqual(['owned', 'owned__osiris_new_0badf00d']);
    } finally {
      await owner.end();
    }
    await released(direct, 'owned__osiris_new_0badf00d');
    await direct.write({ table: 'owned', mode: 'replace', rows: batches(1, 10) });
    expect(await tables(direct, 'owned')).toEqual(['owned']);
  });
});

/** Waits (up to a second) until the lock of the replace that made companion `name` is free: the server frees an ended or cut connection's locks a moment after the client sees it go. */
async function released(connection: MysqlConnection, name: string): Promise<void> {
  for (let i = 0; i < 50; i++) {
    const { rows } = await connection.query('SELECT IS_USED_LOCK(?) AS owner', [
      `osiris_replace_${name.slice(-8)}`,
    ]);
    if ((rows[0] as { owner: unknown }).owner === null) return;
    await sleep(20);
  }
}

describe('a frozen server (SIGSTOP): every call ends, with the right code, while the server is still frozen', () => {
  /** Runs `call` with the server frozen; the server is thawed only once the call has settled. */
  async function whileFrozen<T>(call: () => Promise<T>): Promise<T | unknown> {
    server.freeze();
    try {
      return await call().catch((error: unknown) => error);
    } finally {
      server.thaw();
    }
  }

  test('check() with no options on a warm pool gives up after read_timeout', async () => {
    const connection = await open(server.port, { read_timeout: 1 });
    await connection.check();
    const failure = await whileFrozen(() => connection.check());
    expect(failure).toMatchObject({ code: 'QUERY_TIMEOUT', category: 'timeout' });
  }, 20_000);

  test.each(['insert', 'load-data'] as const)(
    'write() via %s with no options on a warm pool is bounded by read_timeout per statement',
    async (method) => {
      const direct = await open(server.port);
      const table = `frozen_${method.replace('-', '_')}`;
      await direct.query(`CREATE TABLE ${table} (id INT PRIMARY KEY, note TEXT)`);
      const connection = await open(server.port, { read_timeout: 1 });
      await connection.check();
      const failure = await whileFrozen(() => connection.write({ table, rows: batches(3, 1_000), method }));
      expect(failure).toMatchObject({ category: 'timeout' });
      expect(String((failure as Error).message)).toMatch(/did not answer within 1000 ms/);
      // Nothing was committed: the server never ran a COMMIT.
      expect(await count(direct, table)).toBe(0);
    },
    20_000,
  );

  test('a frozen handshake is CONNECT_TIMEOUT, not a killed statement', async () => {
    const connection = await open(server.port, { read_timeout: 1, connect_timeout: 2 });
    const failure = await whileFrozen(() => connection.query('SELECT 1'));
    expect(failure).toMatchObject({ code: 'CONNECT_TIMEOUT', category: 'timeout' });
    expect(String((failure as Error).message)).not.toMatch(/killed/);
  }, 20_000);
});

test('waiting for a pool connection longer than read_timeout is POOL_EXHAUSTED, not QUERY_TIMEOUT', async () => {
  const connection = await open(server.port, {
    pool_size: 1,
    max_overflow: 0,
    read_timeout: 1,
    pool_timeout: 2,
  });
  const busy = connection.query('SELECT SLEEP(4)', [], { timeoutMs: 10_000 });
  const failure = await connection.query('SELECT 1').catch((error: unknown) => error);
  expect(failure).toMatchObject({ code: 'POOL_EXHAUSTED', category: 'timeout' });
  await busy;
}, 20_000);

describe('a server SIGKILLed mid-append (INSERT, 50 batches of 2,000 rows)', () => {
  test.each([0, 3, 8])(
    'killed %i ms after batch 3: what the error claims is what the restarted server holds',
    async (delay) => {
      const table = `killed_${delay}`;
      await (await open(server.port)).query(`CREATE TABLE ${table} (id INT PRIMARY KEY, note TEXT)`);
      const connection = await open(server.port, { connect_timeout: 2 });
      let killed: Promise<void> | undefined;
      const failure = (await connection
        .write({
          table,
          rows: batches(50, 2_000),
          method: 'insert',
          onProgress: ({ batches: done }) => {
            if (done === 3) killed ??= sleep(delay).then(() => server.crash());
          },
        })
        .then(
          () => undefined,
          (error: unknown) => error,
        )) as { code: string; retryable?: boolean; details: Record<string, number> } | undefined;
      await killed;
      await server.restart();
      const held = await count(await open(server.port), table);
      expect(failure).toBeDefined();
      const { committedRows, firstRow, lastRow } = failure?.details ?? {};
      if (failure?.code === 'WRITE_FATE_UNKNOWN') {
        expect(failure.retryable).toBe(false);
        expect([committedRows, lastRow]).toContain(held);
        expect(firstRow).toBe((committedRows as number) + 1);
      } else {
        // "Rolled back, earlier batches committed" must be exactly true: a retry of the rest is then safe.
        expect(held).toBe(committedRows);
      }
    },
    60_000,
  );
});
