/**
 * The typed contract on a real PostgREST: a type zoo with edge values written through write() into a table
 * createIfMissing derives from logical types and into pre-created Postgres tables, read back canonical and
 * compared with Postgres's own text; refusals before anything is sent.
 */
import { type ColumnInfo, canonicalizer, type Row } from '@osiris/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { failure, readAll, useSupabase } from './support.js';
import {
  AWKWARD,
  describedSource,
  EVERY_BYTE,
  int,
  JSON_TEXT,
  nativeTypes,
  widened,
  ZOO,
  ZOO_ROWS,
} from './zoo.js';

const { service, connect, tables } = useSupabase();
const T = tables(
  'zoo_made',
  'zoo_pg',
  'zoo_copy',
  'refuse',
  'unreadable',
  'json_text',
  'instants',
  'big_keys',
);

const sql = <R extends Row = Row>(text: string) => service().sql<R>(text);

const count = async (table: string) =>
  Number((await sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);

describe('createIfMissing derives the table from the source logical types', () => {
  test('every logical type gets a Postgres type that holds it; values read back canonical and exact', async () => {
    const connection = await connect({ db_url: service().dbUrl });
    await connection.write({
      table: T.zoo_made,
      rows: describedSource(ZOO, [ZOO_ROWS.slice(0, 1), ZOO_ROWS.slice(1)]),
      createIfMissing: true,
    });
    expect(await nativeTypes(service(), T.zoo_made)).toEqual({
      id: 'integer',
      i8: 'smallint',
      u8: 'smallint',
      u16: 'integer',
      i32: 'integer',
      u32: 'bigint',
      i64: 'bigint',
      u64: 'numeric(20,0)',
      bit1: 'smallint',
      dec: 'numeric(38,10)',
      amount: 'numeric(12,2)',
      f32: 'real',
      f64: 'double precision',
      flag: 'boolean',
      d: 'date',
      t: 'time(6) without time zone',
      dt: 'timestamp(6) without time zone',
      dt0: 'timestamp(0) without time zone',
      ts: 'timestamp(3) with time zone',
      s: 'character varying(10)',
      txt: 'text',
      bin: 'bytea',
      doc: 'json',
      e: 'text',
      st: 'text',
    });
    const notNull = await sql<{ attname: string }>(
      `SELECT attname FROM pg_attribute WHERE attrelid = '${T.zoo_made}'::regclass AND attnotnull AND attnum > 0`,
    );
    expect(notNull.rows.map((row) => row.attname).sort()).toEqual(['amount', 'id']);

    const back = await readAll(connection.read({ table: T.zoo_made, orderBy: 'id' }));
    expect(back).toEqual(ZOO_ROWS.map(widened));
    expect(Object.is(back[1]!.f64, -0)).toBe(true);

    // Postgres's own text of the same cells.
    const own = await sql(
      `SELECT u64::text, dec::text, d::text, t::text, dt::text, encode(bin, 'hex') AS bin, doc::text, s
         FROM ${T.zoo_made} WHERE id = 1`,
    );
    expect(own.rows[0]).toEqual({
      u64: '18446744073709551615',
      dec: '-9999999999999999999999999999.9999999999',
      d: '0001-01-01 BC',
      t: '24:00:00',
      dt: '2006-02-15 05:03:42.25',
      bin: EVERY_BYTE.toString('hex'),
      doc: JSON_TEXT,
      s: AWKWARD,
    });
    // The decimal column is a number to Postgres: it sums exactly.
    const sum = await sql(`SELECT sum(amount)::text AS total FROM ${T.zoo_made}`);
    expect(sum.rows[0]).toEqual({ total: '12.45' });
  });

  test('enum and set members, and unsigned ranges, are kept by CHECK constraints', async () => {
    const bad = [
      `UPDATE ${T.zoo_made} SET e = 'huge' WHERE id = 1`,
      `UPDATE ${T.zoo_made} SET st = 'a,z' WHERE id = 1`,
      `UPDATE ${T.zoo_made} SET u32 = -1 WHERE id = 1`,
      `UPDATE ${T.zoo_made} SET u64 = 18446744073709551616 WHERE id = 1`,
    ];
    for (const statement of bad) await expect(sql(statement)).rejects.toMatchObject({ code: '23514' });
  });

  test('a Supabase read feeds a created Supabase table: the source describes its own types', async () => {
    const connection = await connect({ db_url: service().dbUrl });
    await connection.write({
      table: T.zoo_copy,
      rows: connection.read({ table: T.zoo_made, orderBy: 'id' }),
      primaryKey: 'id',
      createIfMissing: true,
    });
    const types = await nativeTypes(service(), T.zoo_copy);
    expect(types).toMatchObject({ u32: 'bigint', u64: 'numeric(20,0)', ts: 'timestamp(3) with time zone' });
    expect(await readAll(connection.read({ table: T.zoo_copy, orderBy: 'id' }))).toEqual(
      await readAll(connection.read({ table: T.zoo_made, orderBy: 'id' })),
    );
  });
});

describe('a pre-created table of Postgres types', () => {
  beforeAll(async () => {
    await sql(`CREATE TYPE ${T.zoo_pg}_mood AS ENUM ('sad', 'ok', 'happy')`);
    await sql(`CREATE TABLE ${T.zoo_pg} (
      id int PRIMARY KEY, i2 int2, i8 int8, n numeric, n2 numeric(10,2), r real, f float8, b boolean,
      d date, t time, ts timestamp, tstz timestamptz, by bytea, j json, jb jsonb, vc varchar(5), c char(3),
      u uuid, m ${T.zoo_pg}_mood, a int8[], iv interval, tz timetz)`);
    await service().reloadSchema();
  });

  const row = {
    id: 1,
    i2: -32768,
    i8: 9223372036854775807n,
    n: '123456789012345678901234567890.123456789',
    n2: '-99999999.99',
    r: Math.fround(-1.1),
    f: Number.NaN,
    b: true,
    d: '2024-02-29',
    t: '00:00:00.000001',
    ts: '0000-12-31T23:59:59.999999',
    tstz: '2024-06-30T22:00:00.500000Z',
    by: Buffer.from([0, 0x5c, 0x78, 0xff]),
    j: JSON_TEXT,
    jb: '{"a": 1, "b": [true, null]}',
    vc: 'ü😀\'",',
    c: 'ab ',
    u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    m: 'happy',
    a: '{1,9223372036854775807,NULL}',
    iv: '-838:59:59',
    tz: '12:00:00+05:30',
  };
  const others = [
    {
      ...row,
      id: 2,
      f: Number.POSITIVE_INFINITY,
      r: Number.NEGATIVE_INFINITY,
      tstz: '1000-01-01T00:00:00.000000Z',
    },
    Object.fromEntries(Object.keys(row).map((name) => [name, name === 'id' ? 3 : null])),
  ];

  test.each([
    ['through the API alone', false],
    ['with db_url', true],
  ])('columns() tells every logical type (%s)', async (_how, withDb) => {
    const connection = await connect(withDb ? { db_url: service().dbUrl } : {});
    const columns = await connection.read({ table: T.zoo_pg }).columns();
    const byName = Object.fromEntries(columns.map((c) => [c.name, c.type]));
    expect(byName).toMatchObject({
      i2: int(16),
      i8: int(64),
      n: { kind: 'decimal' },
      // Typmods come from the catalog; the OpenAPI document has none.
      n2: withDb ? { kind: 'decimal', precision: 10, scale: 2 } : { kind: 'decimal' },
      r: { kind: 'float', bits: 32 },
      f: { kind: 'float', bits: 64 },
      b: { kind: 'boolean' },
      d: { kind: 'date' },
      t: { kind: 'time', precision: 6 },
      ts: { kind: 'datetime', precision: 6 },
      tstz: { kind: 'timestamp', precision: 6 },
      by: { kind: 'bytes' },
      j: { kind: 'json' },
      jb: { kind: 'json' },
      vc: { kind: 'string', maxLength: 5 },
      c: { kind: 'string', maxLength: 3 },
      u: { kind: 'string' },
      m: { kind: 'enum', members: ['sad', 'ok', 'happy'] },
      a: { kind: 'string' },
      iv: { kind: 'string' },
      tz: { kind: 'string' },
    });
    expect(columns.find((c) => c.name === 'id')).toMatchObject({ nullable: false, primaryKey: true });
  });

  test.each([
    ['through the API alone', false],
    ['with db_url', true],
  ])('canonical values written with write() read back identical (%s)', async (_how, withDb) => {
    await sql(`TRUNCATE ${T.zoo_pg}`);
    const connection = await connect(withDb ? { db_url: service().dbUrl } : {});
    await connection.write({ table: T.zoo_pg, rows: [[row], others] });
    const back = await readAll(connection.read({ table: T.zoo_pg, orderBy: 'id' }));
    expect(back).toEqual([row, ...others]);
    // Every value read is already the canonical value of the column's logical type.
    const columns = await connection.read({ table: T.zoo_pg }).columns();
    for (const column of columns) {
      const canonical = canonicalizer(column.type!);
      for (const value of back.map((r) => r[column.name])) expect(canonical(value)).toEqual(value);
    }
    const own = await sql(
      `SELECT i8::text, n::text, r::text, f::text, ts::text, tstz AT TIME ZONE 'UTC' AS utc, encode(by, 'hex') AS by,
              j::text, a::text FROM ${T.zoo_pg} WHERE id = 1`,
    );
    expect(own.rows[0]).toEqual({
      i8: '9223372036854775807',
      n: row.n,
      r: '-1.1',
      f: 'NaN',
      ts: '0001-12-31 23:59:59.999999 BC',
      utc: expect.any(Date),
      by: '005c78ff',
      j: JSON_TEXT,
      a: '{1,9223372036854775807,NULL}',
    });
  });

  test('a JSON text keeps its exact spelling in a json column, both ways', async () => {
    await sql(`CREATE TABLE ${T.json_text} (id int PRIMARY KEY, j json NOT NULL)`);
    await service().reloadSchema();
    const connection = await connect();
    const docs = [JSON_TEXT, '[1e400, -0.0, "\\u00e9\\/"]', '"é\\n"', '12.50', '{"deep":{"x":[{"y":1}]}}'];
    await connection.write({ table: T.json_text, rows: [docs.map((j, i) => ({ id: i + 1, j }))] });
    const own = await sql<{ j: string }>(`SELECT j::text AS j FROM ${T.json_text} ORDER BY id`);
    expect(own.rows.map((r) => r.j)).toEqual(docs);
    const back = await readAll(connection.read({ table: T.json_text, orderBy: 'id' }));
    expect(back.map((r) => r.j)).toEqual(docs);
  });
});

describe('refusals happen before anything is sent', () => {
  beforeAll(async () => {
    await sql(`CREATE TYPE ${T.refuse}_size AS ENUM ('s', 'm')`);
    await sql(`CREATE TABLE ${T.refuse} (
      id int PRIMARY KEY, small int2, price numeric(5,2), name varchar(5), at time, size ${T.refuse}_size,
      label text, doc json, born date, must text NOT NULL DEFAULT 'x')`);
    await service().reloadSchema();
  });

  const cases: [string, string, unknown, string, boolean][] = [
    ['a smallint past 32767', 'small', 32768, 'VALUE_OUT_OF_RANGE', false],
    ['a decimal with more digits than the scale', 'price', '1.005', 'VALUE_OUT_OF_RANGE', true],
    ['a decimal too big for its precision', 'price', '1000.00', 'VALUE_OUT_OF_RANGE', true],
    ['six characters for varchar(5)', 'name', 'abcd😀f', 'VALUE_OUT_OF_RANGE', false],
    ['a time past 24:00:00 (a MySQL duration)', 'at', '25:00:00', 'VALUE_OUT_OF_RANGE', false],
    ['a negative time', 'at', '-01:00:00', 'VALUE_OUT_OF_RANGE', false],
    ['a string that is no member of the enum', 'size', 'xl', 'VALUE_OUT_OF_RANGE', false],
    ['bytes for a text column', 'label', Buffer.from('hi'), 'VALUE_INVALID', false],
    ['text holding U+0000', 'label', 'a\u0000b', 'VALUE_OUT_OF_RANGE', false],
    ['the JSON document null (PostgREST would store SQL NULL)', 'doc', 'null', 'VALUE_OUT_OF_RANGE', false],
    ['text that is not JSON', 'doc', '{oops', 'VALUE_INVALID', false],
    [
      'a JSON document with whitespace around it (json drops it)',
      'doc',
      ' [1] ',
      'VALUE_OUT_OF_RANGE',
      false,
    ],
    [
      'a JSON string document whose escapes json would respell',
      'doc',
      '"\\u00e9"',
      'VALUE_OUT_OF_RANGE',
      false,
    ],
    ['a day that does not exist', 'born', '2023-02-29', 'VALUE_INVALID', false],
    ['null for a NOT NULL column', 'must', null, 'VALUE_INVALID', false],
  ];

  test.each(cases)('%s is refused naming row, column and type; the table is unchanged', async (...args) => {
    const [, column, bad, code, needsDb] = args;
    const connection = await connect(needsDb ? { db_url: service().dbUrl } : {});
    const rows = Array.from({ length: 5 }, (_, i) => ({ id: i + 1, [column]: i === 2 ? bad : null }));
    if (column === 'must') for (const [i, r] of rows.entries()) if (i !== 2) r.must = 'ok';
    const error = await failure(connection.write({ table: T.refuse, rows: [rows] }));
    expect(error).toMatchObject({ code, category: 'config', details: { row: 3, column } });
    expect(error.message).toMatch(new RegExp(`row 3, column "${column}"`));
    expect(error.hint).toBeTruthy();
    expect(await count(T.refuse)).toBe(0);
  });

  test('a key the table has no column for is refused before the first request', async () => {
    const connection = await connect();
    const error = await failure(connection.write({ table: T.refuse, rows: [[{ id: 1, colour: 'red' }]] }));
    expect(error).toMatchObject({ code: 'COLUMN_NOT_FOUND', details: { column: 'colour' } });
    expect(await count(T.refuse)).toBe(0);
  });
});

describe('the source description is used', () => {
  test('a wall-clock datetime is never taken as UTC: refused for a timestamptz column, nothing written', async () => {
    await sql(`CREATE TABLE ${T.instants} (id int PRIMARY KEY, at timestamptz)`);
    await service().reloadSchema();
    const connection = await connect();
    const columns: ColumnInfo[] = [
      { name: 'id', type: int(32) },
      { name: 'at', type: { kind: 'datetime', precision: 0 } },
    ];
    const rows = [{ id: 1, at: '2006-02-15T05:03:42' }];
    const error = await failure(
      connection.write({ table: T.instants, rows: describedSource(columns, [rows]) }),
    );
    expect(error).toMatchObject({ code: 'VALUE_INVALID', details: { row: 1, column: 'at' } });
    expect(error.message).toContain('zone');
    expect(await count(T.instants)).toBe(0);
    // The same wall clock with its zone is an instant, stored as such.
    await connection.write({ table: T.instants, rows: [[{ id: 1, at: '2006-02-15T05:03:42+02:00' }]] });
    const back = await readAll(connection.read({ table: T.instants }));
    expect(back).toEqual([{ id: 1, at: '2006-02-15T03:03:42.000000Z' }]);
  });

  test('replace through the API alone compares bigint keys past 2^53 exactly', async () => {
    await sql(`CREATE TABLE ${T.big_keys} (id bigint PRIMARY KEY, v text)`);
    await sql(`INSERT INTO ${T.big_keys} VALUES (9007199254740993, 'old'), (9007199254740995, 'gone')`);
    await service().reloadSchema();
    const connection = await connect();
    const result = await connection.write({
      table: T.big_keys,
      mode: 'replace',
      rows: [
        [
          { id: 9007199254740993n, v: 'new' },
          { id: 2n ** 62n, v: 'added' },
        ],
      ],
    });
    expect(result.rowsDeleted).toBe(1);
    const own = await sql(`SELECT id::text AS key, v FROM ${T.big_keys} ORDER BY id`);
    expect(own.rows).toEqual([
      { key: '9007199254740993', v: 'new' },
      { key: String(2n ** 62n), v: 'added' },
    ]);
  });
});

describe('values the contract cannot carry stop the read, naming row and column', () => {
  test.each([
    ['numeric NaN', 'numeric', `'NaN'`],
    ['an infinite timestamp', 'timestamptz', `'infinity'`],
    ['a date past 9999', 'date', `'10000-01-01'`],
    ['a date before 1 BC', 'date', `'0002-01-01 BC'`],
  ])('%s', async (_what, type, literal) => {
    await sql(`DROP TABLE IF EXISTS ${T.unreadable}`);
    await sql(`CREATE TABLE ${T.unreadable} (id int PRIMARY KEY, v ${type})`);
    await sql(`INSERT INTO ${T.unreadable} VALUES (1, NULL), (2, ${literal})`);
    await service().reloadSchema();
    const connection = await connect();
    const error = await failure(readAll(connection.read({ table: T.unreadable, orderBy: 'id' })));
    expect(error).toMatchObject({ code: 'VALUE_OUT_OF_RANGE', details: { row: 2, column: 'v' } });
  });
});
