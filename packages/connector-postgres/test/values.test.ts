import { describe, expect, test } from 'vitest';
import { collect, useDatabase } from './support.js';

/**
 * Reading: every PostgreSQL type arrives as the canonical value of its logical type, exactly, through both
 * query() and read() (COPY); the expected values are the server's own text, reshaped only as the contract says.
 */
describe('values read from PostgreSQL', () => {
  const { db, open } = useDatabase();

  const TABLE = `
    CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
    CREATE DOMAIN money2 AS numeric(12,2) NOT NULL;
    CREATE TABLE typed (
      id int PRIMARY KEY,
      i2 smallint, i4 integer, i8 bigint,
      dec numeric(20,4), dec_free numeric, dec_neg numeric(3,-2), price money2,
      f4 real, f8 double precision,
      ok boolean,
      t text, vc varchar(5), ch char(3),
      d date, tm time(3), tm0 time(0), ts timestamp(6), ts2 timestamp(2), tstz timestamptz(3), tstz_default timestamptz,
      b bytea, j json, jb jsonb, m mood, u uuid, iv interval, arr int[]
    );
    INSERT INTO typed VALUES (
      1, -32768, 2147483647, 9223372036854775807,
      '-1234567890123456.1200', '0.000000000000000000000123456789', 12300, 10.5,
      3.4028235e38, '-0',
      true,
      E'tab\\there\\nnew line \\\\ back', 'héllo', 'ab',
      '2024-02-29', '23:59:59.5', '24:00:00', '2024-01-02 03:04:05.000006', '1999-12-31 23:59:59.1', '2024-06-01 12:00:00.123+02', '2024-06-01 12:00:00+00',
      '\\x00ff10', '{"b": 1, "a": [1.50, 12345678901234567890]}', '{"b": 1, "a": 2}', 'happy',
      'A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11', '1 day 02:03:04', '{1,2,NULL}'
    ), (
      2, NULL, NULL, -9223372036854775808, NULL, 'NaN', NULL, 0, 'NaN', '-Infinity', false,
      '', NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, '\\x', 'null', NULL, NULL, NULL, NULL, '{}'
    );`;

  const first = {
    id: 1,
    i2: -32768,
    i4: 2147483647,
    i8: 9223372036854775807n,
    dec: '-1234567890123456.1200',
    dec_free: '0.000000000000000000000123456789',
    dec_neg: '12300',
    price: '10.50',
    f4: 3.4028234663852886e38,
    f8: -0,
    ok: true,
    t: 'tab\there\nnew line \\ back',
    vc: 'héllo',
    ch: 'ab ',
    d: '2024-02-29',
    tm: '23:59:59.500',
    tm0: '24:00:00',
    ts: '2024-01-02T03:04:05.000006',
    ts2: '1999-12-31T23:59:59.10',
    tstz: '2024-06-01T10:00:00.123Z',
    tstz_default: '2024-06-01T12:00:00.000000Z',
    b: Buffer.from([0, 255, 16]),
    j: '{"b": 1, "a": [1.50, 12345678901234567890]}',
    jb: '{"a": 2, "b": 1}',
    m: 'happy',
    u: 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11',
    iv: '1 day 02:03:04',
    arr: '{1,2,NULL}',
  };

  test('query() and read() give the same canonical values', async () => {
    await db().sql(TABLE);
    const connection = await open();
    const viaQuery = await connection.query('SELECT * FROM typed WHERE id = 1');
    expect(viaQuery.rows).toEqual([first]);
    const viaCopy = await collect(connection.read({ table: 'typed', where: { id: 1 } }));
    expect(viaCopy).toEqual([first]);
    // -0 survives (toEqual treats -0 and 0 alike).
    expect(Object.is(viaCopy[0]?.f8, -0)).toBe(true);
  });

  test('columns carry logical types, native types, nullability and the key', async () => {
    const connection = await open();
    const stream = connection.read({ table: 'typed' });
    const columns = await stream.columns();
    await collect(stream).catch(() => undefined);
    const byName = Object.fromEntries(columns.map((column) => [column.name, column]));
    expect(byName.id).toMatchObject({
      type: { kind: 'integer', bits: 32, unsigned: false },
      nullable: false,
      primaryKey: true,
    });
    expect(byName.dec).toMatchObject({
      type: { kind: 'decimal', precision: 20, scale: 4 },
      nativeType: 'numeric(20,4)',
    });
    expect(byName.dec_neg?.type).toEqual({ kind: 'decimal', precision: 5, scale: 0 });
    expect(byName.price).toMatchObject({
      type: { kind: 'decimal', precision: 12, scale: 2 },
      nullable: false,
    });
    expect(byName.vc?.type).toEqual({ kind: 'string', maxLength: 5 });
    expect(byName.tm?.type).toEqual({ kind: 'time', precision: 3 });
    expect(byName.ts?.type).toEqual({ kind: 'datetime', precision: 6 });
    expect(byName.tstz_default?.type).toEqual({ kind: 'timestamp', precision: 6 });
    expect(byName.m?.type).toEqual({ kind: 'enum', members: ['sad', 'ok', 'happy'] });
    expect(byName.jb?.type).toEqual({ kind: 'json' });
    expect(byName.u).toMatchObject({ type: { kind: 'string' }, nativeType: 'uuid' });
  });

  test('a value without a canonical form stops the read naming column and row, never arriving changed', async () => {
    const connection = await open();
    // Row 2 holds numeric NaN, which decimal text cannot spell.
    const read = collect(connection.read({ query: 'SELECT id, dec_free FROM typed ORDER BY id' }));
    await expect(read).rejects.toMatchObject({
      code: 'VALUE_OUT_OF_RANGE',
      details: { column: 'dec_free', row: 2 },
    });
    await expect(connection.query("SELECT 'infinity'::timestamptz AS x")).rejects.toMatchObject({
      code: 'VALUE_OUT_OF_RANGE',
      details: { column: 'x', row: 1 },
    });
    await expect(connection.query("SELECT '0044-03-15 BC'::date AS d")).rejects.toMatchObject({
      code: 'VALUE_OUT_OF_RANGE',
    });
    // As text the same values read fine.
    const text = await connection.query("SELECT 'infinity'::timestamptz::text AS x");
    expect(text.rows).toEqual([{ x: 'infinity' }]);
  });

  test('NULL, empty text, empty bytes and JSON null stay distinct; floats keep NaN and infinities', async () => {
    const connection = await open();
    const rows = await collect(
      connection.read({ query: 'SELECT t, vc, b, j, f4, f8, i8 FROM typed WHERE id = $1', params: [2] }),
    );
    expect(rows).toEqual([
      {
        t: '',
        vc: null,
        b: Buffer.alloc(0),
        j: 'null',
        f4: Number.NaN,
        f8: -Infinity,
        i8: -9223372036854775808n,
      },
    ]);
  });
});
