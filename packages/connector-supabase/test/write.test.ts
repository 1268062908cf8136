import type { WriteProgress } from '@osiris/core';
import { describe, expect, test } from 'vitest';
import { failure, readAll, useSupabase } from './support.js';

const { service, connect, tables } = useSupabase();
const T = tables(
  'appended',
  'wide_rows',
  'defaults',
  'exact',
  'finite',
  'dupes',
  'slow_log',
  'slowed',
  'people',
  'kept',
  'accounts',
  'loose',
  'made',
  'absent',
);

const count = async (table: string) =>
  Number((await service().sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);

const rowsOf = (n: number, from = 1) =>
  Array.from({ length: n }, (_, i) => ({ id: from + i, name: `row ${from + i}` }));

describe('append', () => {
  test('rows go in batches of batch_size, with progress after each batch', async () => {
    await service().sql(`CREATE TABLE ${T.appended} (id int PRIMARY KEY, name text)`);
    await service().reloadSchema();
    const connection = await connect({ batch_size: 100 });
    const progress: WriteProgress[] = [];
    const result = await connection.write({
      table: T.appended,
      rows: [rowsOf(700), rowsOf(534, 701)],
      onProgress: (p) => progress.push(p),
    });
    expect(result).toMatchObject({ rowsWritten: 1234, batches: 13, method: 'insert', retries: 0 });
    expect(progress).toHaveLength(13);
    expect(progress.at(-1)).toMatchObject({ batches: 13, rows: 1234 });
    expect(await count(T.appended)).toBe(1234);
  });

  test('batches also stay under max_batch_bytes', async () => {
    await service().sql(`CREATE TABLE ${T.wide_rows} (id int PRIMARY KEY, payload text)`);
    await service().reloadSchema();
    const connection = await connect({ max_batch_bytes: 10_000 });
    const rows = Array.from({ length: 50 }, (_, i) => ({ id: i, payload: 'x'.repeat(1000) }));
    const result = await connection.write({ table: T.wide_rows, rows: [rows] });
    // Each row is ~1,020 bytes of JSON: 9 fit in 10,000 bytes.
    expect(result.batches).toBe(6);
    expect(await count(T.wide_rows)).toBe(50);
  });

  test('keys absent from a row take the column default, not NULL', async () => {
    await service().sql(
      `CREATE TABLE ${T.defaults} (id int PRIMARY KEY, status text NOT NULL DEFAULT 'new', score int DEFAULT 7, note text)`,
    );
    await service().reloadSchema();
    const connection = await connect();
    await connection.write({
      table: T.defaults,
      rows: [
        [{ id: 1, status: 'done', score: 1, note: 'a' }, { id: 2 }, { id: 3, note: undefined, score: null }],
      ],
    });
    const { rows } = await service().sql(`SELECT * FROM ${T.defaults} ORDER BY id`);
    expect(rows).toEqual([
      { id: 1, status: 'done', score: 1, note: 'a' },
      { id: 2, status: 'new', score: 7, note: null },
      { id: 3, status: 'new', score: null, note: null },
    ]);
  });

  test('a key a later batch of row objects adds is written, checked like the others; its earlier rows keep the default', async () => {
    await service().sql(`TRUNCATE ${T.defaults}`);
    const connection = await connect();
    const result = await connection.write({
      table: T.defaults,
      rows: [
        [{ id: 1 }],
        [
          { id: 2, score: 5 },
          { id: 3, status: 'done' },
        ],
      ],
    });
    expect(result).toMatchObject({ rowsWritten: 3, batches: 2, fastLane: false });
    const { rows } = await service().sql(`SELECT id, status, score FROM ${T.defaults} ORDER BY id`);
    expect(rows).toEqual([
      { id: 1, status: 'new', score: 7 },
      { id: 2, status: 'new', score: 5 },
      { id: 3, status: 'done', score: 7 },
    ]);
    const error = await failure(
      connection.write({ table: T.defaults, rows: [[{ id: 4 }], [{ id: 5 }, { id: 6, score: 2 ** 31 }]] }),
    );
    expect(error).toMatchObject({ code: 'VALUE_OUT_OF_RANGE', details: { row: 3, column: 'score' } });
  });

  test('values are written exactly: Date, bigint, decimal strings, bytes, JSON, array text', async () => {
    await service().sql(
      `CREATE TABLE ${T.exact} (id int PRIMARY KEY, at timestamptz, big bigint, amount numeric(40,12), raw bytea, doc jsonb, tags text[])`,
    );
    await service().reloadSchema();
    const connection = await connect();
    const at = new Date('2024-02-29T23:59:59.123Z');
    await connection.write({
      table: T.exact,
      rows: [
        [
          {
            id: 1,
            at,
            big: 9007199254740993n,
            amount: '1234567890123456789012.123456789012',
            raw: Buffer.from([0, 1, 254, 255]),
            doc: { when: at, n: 1.5, list: [12345678901234567890n, null] },
            // An array column takes (and gives) its Postgres text.
            tags: '{a,"b,c"}',
          },
        ],
      ],
    });
    const { rows } = await service().sql(
      `SELECT at, big::text, amount::text, encode(raw, 'hex') AS raw, doc::text, tags FROM ${T.exact}`,
    );
    expect(rows[0]).toEqual({
      at,
      big: '9007199254740993',
      amount: '1234567890123456789012.123456789012',
      raw: '0001feff',
      doc: '{"n": 1.5, "list": [12345678901234567890, null], "when": "2024-02-29T23:59:59.123Z"}',
      tags: ['a', 'b,c'],
    });
    const [back] = await readAll(connection.read({ table: T.exact }));
    expect(back).toEqual({
      id: 1,
      at: '2024-02-29T23:59:59.123000Z',
      big: 9007199254740993n,
      amount: '1234567890123456789012.123456789012',
      raw: Buffer.from([0, 1, 254, 255]),
      doc: rows[0]!.doc,
      tags: '{a,"b,c"}',
    });
  });

  test('NaN, ±Infinity and -0 reach a float8 column exactly and read back as the same numbers', async () => {
    await service().sql(`CREATE TABLE ${T.finite} (id int PRIMARY KEY, x float8)`);
    await service().reloadSchema();
    const connection = await connect();
    const specials = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 5e-324];
    await connection.write({ table: T.finite, rows: [specials.map((x, i) => ({ id: i + 1, x }))] });
    const text = await service().sql(`SELECT x::text AS x FROM ${T.finite} ORDER BY id`);
    expect(text.rows.map((row) => row.x)).toEqual(['NaN', 'Infinity', '-Infinity', '-0', '5e-324']);
    const back = await readAll(connection.read({ table: T.finite, orderBy: 'id' }));
    expect(back.map((row, i) => Object.is(row.x, specials[i]))).toEqual(specials.map(() => true));
  });

  test.each(['many', 2n ** 1100n])(
    'a value a float8 cannot hold (%s) is refused before the batch is sent, naming row and column',
    async (bad) => {
      await service().sql(`TRUNCATE ${T.finite}`);
      const connection = await connect();
      const rows = Array.from({ length: 10 }, (_, i) => ({ id: i + 1, x: i === 6 ? bad : i }));
      const error = await failure(connection.write({ table: T.finite, rows: [rows] }));
      expect(error).toMatchObject({
        code: 'VALUE_INVALID',
        category: 'config',
        details: { row: 7, column: 'x' },
      });
      expect(error.message).toContain('row 7');
      expect(error.message).toContain('"x"');
      expect(error.message).not.toContain(String(bad));
      expect(await count(T.finite)).toBe(0);
    },
  );

  test('a duplicate key names the batch and its rows', async () => {
    await service().sql(`CREATE TABLE ${T.dupes} (id int PRIMARY KEY)`);
    await service().reloadSchema();
    const connection = await connect({ batch_size: 100, concurrency: 1 });
    const rows = Array.from({ length: 300 }, (_, i) => ({ id: i === 150 ? 3 : i }));
    const error = await failure(connection.write({ table: T.dupes, rows: [rows] }));
    expect(error).toMatchObject({ code: 'DUPLICATE_KEY' });
    expect(error.message).toContain('batch 2 (rows 101–200)');
    expect(error.hint).toContain('upsert');
  });

  test('up to `concurrency` requests are in flight at once, never more', async () => {
    const sql = service().sql;
    await sql(`CREATE TABLE ${T.slow_log} (batch_start timestamptz, batch_end timestamptz)`);
    await sql(`CREATE TABLE ${T.slowed} (id int PRIMARY KEY)`);
    await sql(`CREATE FUNCTION ${T.slowed}_statement() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE started timestamptz := clock_timestamp();
      BEGIN PERFORM pg_sleep(0.3); INSERT INTO ${T.slow_log} VALUES (started, clock_timestamp()); RETURN NULL; END $$`);
    await sql(
      `CREATE TRIGGER slow AFTER INSERT ON ${T.slowed} FOR EACH STATEMENT EXECUTE FUNCTION ${T.slowed}_statement()`,
    );
    await service().reloadSchema();
    const connection = await connect({ batch_size: 10, concurrency: 3 });
    await connection.write({ table: T.slowed, rows: [rowsOf(90).map(({ id }) => ({ id }))] });
    const { rows } = await sql<{ overlap: number }>(
      // The most statements running at one instant: at each start, those begun and not yet ended.
      `SELECT max((SELECT count(*) FROM ${T.slow_log} o WHERE o.batch_start <= l.batch_start AND o.batch_end > l.batch_start))::int
           AS overlap
         FROM ${T.slow_log} l`,
    );
    expect(await count(T.slow_log)).toBe(9);
    expect(rows[0]!.overlap).toBeGreaterThanOrEqual(2);
    expect(rows[0]!.overlap).toBeLessThanOrEqual(3);
  });
});

describe('upsert', () => {
  test('running the same upsert twice leaves the same table', async () => {
    await service().sql(`CREATE TABLE ${T.people} (id int PRIMARY KEY, name text, seen int DEFAULT 0)`);
    await service().sql(`INSERT INTO ${T.people} VALUES (1, 'old', 5), (5000, 'untouched', 1)`);
    await service().reloadSchema();
    const connection = await connect();
    const rows = Array.from({ length: 2500 }, (_, i) => ({ id: i + 1, name: `p${i + 1}`, seen: i % 3 }));
    const snapshot = async () => (await service().sql(`SELECT * FROM ${T.people} ORDER BY id`)).rows;
    const first = await connection.write({ table: T.people, rows: [rows], mode: 'upsert' });
    const once = await snapshot();
    const second = await connection.write({ table: T.people, rows: [rows], mode: 'upsert' });
    expect(await snapshot()).toEqual(once);
    expect(once).toHaveLength(2501);
    expect(once[0]).toEqual({ id: 1, name: 'p1', seen: 0 });
    expect(once.at(-1)).toEqual({ id: 5000, name: 'untouched', seen: 1 });
    expect(first).toMatchObject({ rowsWritten: 2500, batches: 5, method: 'upsert' });
    expect(second.rowsWritten).toBe(2500);
  });

  test('ignoreDuplicates keeps existing rows as they are', async () => {
    await service().sql(`CREATE TABLE ${T.kept} (id int PRIMARY KEY, name text)`);
    await service().sql(`INSERT INTO ${T.kept} VALUES (1, 'original')`);
    await service().reloadSchema();
    const connection = await connect();
    await connection.write({
      table: T.kept,
      mode: 'upsert',
      ignoreDuplicates: true,
      rows: [
        [
          { id: 1, name: 'changed' },
          { id: 2, name: 'new' },
        ],
      ],
    });
    expect((await service().sql(`SELECT * FROM ${T.kept} ORDER BY id`)).rows).toEqual([
      { id: 1, name: 'original' },
      { id: 2, name: 'new' },
    ]);
  });

  test('onConflict names a unique column other than the primary key', async () => {
    await service().sql(
      `CREATE TABLE ${T.accounts} (id serial PRIMARY KEY, email text UNIQUE NOT NULL, plan text)`,
    );
    await service().sql(`INSERT INTO ${T.accounts} (email, plan) VALUES ('a@x.io', 'free')`);
    await service().reloadSchema();
    const connection = await connect();
    await connection.write({
      table: T.accounts,
      mode: 'upsert',
      onConflict: 'email',
      rows: [
        [
          { email: 'a@x.io', plan: 'pro' },
          { email: 'b@x.io', plan: 'free' },
        ],
      ],
    });
    expect((await service().sql(`SELECT email, plan FROM ${T.accounts} ORDER BY id`)).rows).toEqual([
      { email: 'a@x.io', plan: 'pro' },
      { email: 'b@x.io', plan: 'free' },
    ]);
  });

  test('a table without a primary key needs an explicit key', async () => {
    await service().sql(`CREATE TABLE ${T.loose} (a int, b text)`);
    await service().reloadSchema();
    const connection = await connect();
    const error = await failure(connection.write({ table: T.loose, mode: 'upsert', rows: [[{ a: 1 }]] }));
    expect(error).toMatchObject({ code: 'REQUEST_INVALID', category: 'config' });
  });
});

describe('createIfMissing', () => {
  test('with db_url and no declared columns, the table is created from the first batch values', async () => {
    const connection = await connect({ db_url: service().dbUrl });
    const rows = [
      {
        id: 1,
        name: 'a',
        score: 1.5,
        big: 2n ** 40n,
        ok: true,
        at: new Date('2024-01-01T00:00:00Z'),
        doc: { a: 1 },
      },
      { id: 2, name: null, score: 2, big: 3n, ok: false, at: null, doc: null },
    ];
    const result = await connection.write({
      table: T.made,
      rows: [rows],
      primaryKey: 'id',
      createIfMissing: true,
    });
    expect(result.rowsWritten).toBe(2);
    const info = await connection.describeTable(T.made);
    expect(info.primaryKey).toEqual(['id']);
    // Inferred logical types: whole numbers integer(64), Dates timestamp(3), objects json (see README).
    expect(Object.fromEntries(info.columns.map((c) => [c.name, c.type]))).toEqual({
      id: 'bigint',
      name: 'text',
      score: 'double precision',
      big: 'bigint',
      ok: 'boolean',
      at: 'timestamp(3) with time zone',
      doc: 'json',
    });
    expect(await readAll(connection.read({ table: T.made, columns: ['id', 'big', 'at', 'doc'] }))).toEqual([
      { id: 1n, big: 2n ** 40n, at: '2024-01-01T00:00:00.000Z', doc: '{"a":1}' },
      { id: 2n, big: 3n, at: null, doc: null },
    ]);
  });

  test('without db_url, a missing table is a config error saying what to add', async () => {
    const connection = await connect();
    const error = await failure(
      connection.write({ table: T.absent, rows: [[{ id: 1 }]], createIfMissing: true }),
    );
    expect(error).toMatchObject({ code: 'CREATE_NEEDS_DB_URL', category: 'config' });
    expect(error.hint).toContain('db_url');
  });
});
