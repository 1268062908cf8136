import type { Row } from '@osiris/core';
import { describe, expect, test } from 'vitest';
import { failure, useSupabase } from './support.js';

const { service, connect, tables } = useSupabase();
const T = tables('stock', 'codes', 'slots', 'pairs', 'guarded', 'fragile');

const ids = async (table: string) =>
  (await service().sql<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`)).rows.map((row) => row.id);

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);

/** A source that yields `first`, waits until `ready()` (e.g. the first batch was written), runs `between`, then yields `rest`. */
async function* twoParts(first: Row[], rest: Row[], ready: () => boolean, between: () => Promise<void>) {
  yield first;
  while (!ready()) await new Promise((resolve) => setTimeout(resolve, 10));
  await between();
  yield rest;
}

describe('replace', () => {
  test('upserts the new rows, then deletes the rows whose key is not among them (key scan past the cap)', async () => {
    await service().sql(`CREATE TABLE ${T.stock} (id int PRIMARY KEY, qty int)`);
    await service().sql(`INSERT INTO ${T.stock} SELECT g, 0 FROM generate_series(1, 3000) g`);
    await service().reloadSchema();
    const connection = await connect();
    const fresh = range(2001, 4500).map((id) => ({ id, qty: id % 10 }));
    const result = await connection.write({ table: T.stock, rows: [fresh], mode: 'replace' });
    expect(result).toMatchObject({ rowsWritten: 2500, rowsDeleted: 2000 });
    expect(await ids(T.stock)).toEqual(range(2001, 4500));
    expect((await service().sql(`SELECT qty FROM ${T.stock} WHERE id = 2003`)).rows[0]).toEqual({ qty: 3 });
  });

  test('a text key is compared exactly', async () => {
    await service().sql(`CREATE TABLE ${T.codes} (code text PRIMARY KEY)`);
    await service().sql(`INSERT INTO ${T.codes} VALUES ('a'), ('A'), ('b,c'), ('gone')`);
    await service().reloadSchema();
    const connection = await connect();
    await connection.write({
      table: T.codes,
      rows: [[{ code: 'a' }, { code: 'b,c' }, { code: 'new' }]],
      mode: 'replace',
    });
    const { rows } = await service().sql(`SELECT code FROM ${T.codes} ORDER BY code COLLATE "C"`);
    expect(rows.map((row) => row.code)).toEqual(['a', 'b,c', 'new']);
  });

  test('a composite key is replaced through db_url', async () => {
    await service().sql(`CREATE TABLE ${T.slots} (day date, room int, who text, PRIMARY KEY (day, room))`);
    await service().sql(
      `INSERT INTO ${T.slots} VALUES ('2024-01-01', 1, 'x'), ('2024-01-01', 2, 'y'), ('2024-01-02', 1, 'z')`,
    );
    await service().reloadSchema();
    const connection = await connect({ db_url: service().dbUrl });
    const result = await connection.write({
      table: T.slots,
      mode: 'replace',
      rows: [
        [
          { day: '2024-01-01', room: 2, who: 'new' },
          { day: new Date('2024-01-03T00:00:00Z'), room: 1, who: 'w' },
        ],
      ],
    });
    expect(result.rowsDeleted).toBe(2);
    const { rows } = await service().sql(`SELECT day::text, room, who FROM ${T.slots} ORDER BY day, room`);
    expect(rows).toEqual([
      { day: '2024-01-01', room: 2, who: 'new' },
      { day: '2024-01-03', room: 1, who: 'w' },
    ]);
  });

  test('a composite key without db_url is refused before anything is written', async () => {
    await service().sql(`CREATE TABLE ${T.pairs} (a int, b int, PRIMARY KEY (a, b))`);
    await service().sql(`INSERT INTO ${T.pairs} VALUES (1, 1)`);
    await service().reloadSchema();
    const connection = await connect();
    const error = await failure(
      connection.write({ table: T.pairs, rows: [[{ a: 2, b: 2 }]], mode: 'replace' }),
    );
    expect(error).toMatchObject({ code: 'REPLACE_NEEDS_DB_URL', category: 'config' });
    expect((await service().sql(`SELECT a, b FROM ${T.pairs}`)).rows).toEqual([{ a: 1, b: 1 }]);
  });

  test('when a later batch fails (grant revoked), the old rows stay: nothing is deleted', async () => {
    await service().sql(`CREATE TABLE ${T.guarded} (id int PRIMARY KEY, v text)`);
    await service().sql(`INSERT INTO ${T.guarded} SELECT g, 'old' FROM generate_series(1, 1000) g`);
    await service().reloadSchema();
    const connection = await connect({ batch_size: 100, concurrency: 1 });
    let written = 0;
    const rows = twoParts(
      range(5001, 5100).map((id) => ({ id, v: 'new' })),
      range(5101, 5300).map((id) => ({ id, v: 'new' })),
      () => written === 1,
      async () => {
        await service().sql(`REVOKE INSERT, UPDATE ON ${T.guarded} FROM service_role`);
      },
    );
    const error = await failure(
      connection.write({ table: T.guarded, rows, mode: 'replace', onProgress: (p) => (written = p.batches) }),
    );
    expect(error).toMatchObject({ code: 'PERMISSION_DENIED', category: 'permission' });
    expect(error.message).toContain('batch 2 (rows 101–200)');
    const kept = await ids(T.guarded);
    expect(kept.filter((id) => id <= 1000)).toEqual(range(1, 1000));
  });

  test.runIf(!process.env.SUPABASE_URL)('when the API dies between batches, the old rows stay', async () => {
    await service().sql(`CREATE TABLE ${T.fragile} (id int PRIMARY KEY)`);
    await service().sql(`INSERT INTO ${T.fragile} SELECT g FROM generate_series(1, 1500) g`);
    await service().reloadSchema();
    const connection = await connect({ batch_size: 100, concurrency: 1, retries: 1 });
    let written = 0;
    const rows = twoParts(
      range(9001, 9100).map((id) => ({ id })),
      range(9101, 9200).map((id) => ({ id })),
      () => written === 1,
      () => service().kill(),
    );
    const error = await failure(
      connection.write({ table: T.fragile, rows, mode: 'replace', onProgress: (p) => (written = p.batches) }),
    );
    await service().restart();
    expect(error).toMatchObject({ code: 'HOST_UNREACHABLE', category: 'network' });
    const kept = await ids(T.fragile);
    expect(kept.filter((id) => id <= 1500)).toEqual(range(1, 1500));
  });
});
