import { type ColumnInfo, positionalStream, type Row } from '@osiris/core';
import { type FaultProxy, startFaultProxy } from '@osiris/test-services';
import { afterAll, beforeAll, beforeEach, describe, expect, test } from 'vitest';
import { failure, useSupabase } from './support.js';

const { service, connect, tables } = useSupabase();
const T = tables('appended', 'stalled', 'bounced', 'kept', 'cached', 'aborted');
let proxy: FaultProxy;

beforeAll(async () => {
  proxy = await startFaultProxy(service().url);
});
afterAll(() => proxy?.close());
beforeEach(() => {
  proxy.setFault(() => 'pass');
});

/** The tables' one column, as a source describes it. */
const ID: ColumnInfo[] = [{ name: 'id', type: { kind: 'integer', bits: 32, unsigned: false } }];

const rows = (from: number, n: number): Row[] => Array.from({ length: n }, (_, i) => ({ id: from + i }));

/** Table ids, sorted, straight from the database. */
const ids = async (table: string) =>
  (await service().sql<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`)).rows.map((row) => row.id);

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A connection to the API through the fault proxy. */
const throughProxy = (overrides: Record<string, unknown>) => connect({ url: proxy.url, ...overrides });

async function table(name: string, extra = '') {
  await service().sql(`CREATE TABLE ${name} (id int PRIMARY KEY${extra})`);
  await service().reloadSchema();
}

describe.runIf(!process.env.SUPABASE_URL)('faults between the connector and the API', () => {
  test.each([
    ['row objects', (batch: Row[]) => [batch]],
    [
      'the fast lane',
      (batch: Row[]) =>
        positionalStream(
          async () => ID,
          async function* () {
            yield batch.map((row) => [row.id as number]);
          },
        ),
    ],
  ])(
    'a gateway 503 on the first POST of an append (%s): every batch in flight is waited for and reported with its rows',
    async (_source, source) => {
      await service().sql(`DROP TABLE IF EXISTS ${T.appended}`);
      await table(T.appended);
      const connection = await throughProxy({ batch_size: 500, concurrency: 2, retries: 3 });
      proxy.setFault(({ method, nth }) => (method === 'POST' && nth === 1 ? '503' : 'pass'));
      const error = await failure(connection.write({ table: T.appended, rows: source(rows(1, 3000)) }));
      // Batch 2 went out with batch 1 and was written; nothing after it was sent.
      expect(await ids(T.appended)).toEqual(range(501, 1000));
      expect(error).toMatchObject({
        code: 'WRITE_FATE_UNKNOWN',
        retryable: false,
        details: {
          written: [[501, 1000]],
          notWritten: [],
          fateUnknown: [[1, 500]],
          lastRowSent: 1000,
          failures: [{ batch: 1, firstRow: 1, lastRow: 500, fate: 'unknown', code: 'API_UNAVAILABLE' }],
        },
      });
      expect(error.message).toContain('rows 501–1000 were written');
      expect(error.message).toContain('rows 1–500 may or may not have been written');
      expect(error.message).toContain('no row after 1000 was sent');
      // A plain 503 says nothing about PostgREST starting up.
      expect(error.message).not.toMatch(/starting/i);
      expect(error.hint).toContain('rows 1–500');
    },
  );

  test('a stalled API costs one `timeout` per request, not one per attempt: no retry is sent after the deadline', async () => {
    await table(T.stalled);
    const connection = await throughProxy({ timeout: 1, retries: 3, concurrency: 1 });
    proxy.setFault(({ method }) => (method === 'POST' ? 'stall' : 'pass'));
    const before = proxy.counts.POST ?? 0;
    const error = await failure(connection.write({ table: T.stalled, mode: 'upsert', rows: [rows(1, 10)] }));
    expect(error).toMatchObject({ code: 'OPERATION_TIMEOUT', category: 'timeout', details: { attempts: 1 } });
    expect((proxy.counts.POST ?? 0) - before).toBe(1);
  });

  test('within the deadline, quick transient failures are still retried: an upsert through two 503s is written whole', async () => {
    await table(T.bounced);
    const connection = await throughProxy({ timeout: 10, retries: 3, batch_size: 100, concurrency: 1 });
    proxy.setFault(({ method, nth }) => (method === 'POST' && nth <= 2 ? '503' : 'pass'));
    const result = await connection.write({ table: T.bounced, mode: 'upsert', rows: [rows(1, 300)] });
    expect(result).toMatchObject({ rowsWritten: 300, retries: 2 });
    expect(await ids(T.bounced)).toEqual(range(1, 300));
  });

  test('a replace whose second batch fails says the truth: batch 1 is upserted, nothing is deleted', async () => {
    await service().sql(`CREATE TABLE ${T.kept} (id int PRIMARY KEY, v text)`);
    await service().sql(`INSERT INTO ${T.kept} SELECT g, 'old' FROM generate_series(1, 300) g`);
    await service().reloadSchema();
    const connection = await throughProxy({ batch_size: 100, concurrency: 1, retries: 0 });
    proxy.setFault(({ method, nth }) => (method === 'POST' && nth === 2 ? '503' : 'pass'));
    const fresh = range(201, 400).map((id) => ({ id, v: 'new' }));
    const error = await failure(connection.write({ table: T.kept, mode: 'replace', rows: [fresh] }));
    expect(error).toMatchObject({
      code: 'API_UNAVAILABLE',
      details: { written: [[1, 100]], fateUnknown: [[101, 200]] },
    });
    expect(error.message).toContain('Nothing was deleted');
    const { rows: table } = await service().sql<{ id: number; v: string }>(
      `SELECT id, v FROM ${T.kept} ORDER BY id`,
    );
    // Rows 1–100 of the write (ids 201–300) replaced the old ones; ids 1–200 are all still there.
    expect(table.filter((row) => row.id <= 200).every((row) => row.v === 'old')).toBe(true);
    expect(table.filter((row) => row.id > 200 && row.id <= 300).every((row) => row.v === 'new')).toBe(true);
    expect(table.filter((row) => row.id <= 200)).toHaveLength(200);
  });

  test("PostgREST's own 503 (PGRST002, schema cache not ready) proves the append never ran: it is retried, no row twice", async () => {
    await table(T.cached);
    const connection = await throughProxy({ batch_size: 100, concurrency: 1, retries: 3 });
    proxy.setFault(({ method, nth }) => (method === 'POST' && nth === 1 ? 'pgrst002' : 'pass'));
    const result = await connection.write({ table: T.cached, rows: [rows(1, 200)] });
    expect(result).toMatchObject({ rowsWritten: 200, retries: 1 });
    expect(await ids(T.cached)).toEqual(range(1, 200));
  });

  test("the caller's abort mid-write rejects with the caller's reason, not a batch error", async () => {
    await table(T.aborted);
    const connection = await throughProxy({ timeout: 30, concurrency: 1 });
    proxy.setFault(({ method }) => (method === 'POST' ? 'stall' : 'pass'));
    const before = proxy.counts.POST ?? 0;
    const controller = new AbortController();
    const pending = connection.write({ table: T.aborted, rows: [rows(1, 10)], signal: controller.signal });
    while ((proxy.counts.POST ?? 0) === before) await new Promise((resolve) => setTimeout(resolve, 10));
    const reason = new Error('the user stopped the pipeline');
    controller.abort(reason);
    await expect(pending).rejects.toBe(reason);
  });
});
