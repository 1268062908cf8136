import type { ColumnInfo, Row } from '@osiris/core';
import { describe, expect, test } from 'vitest';
import { collect, useDatabase } from './support.js';

/** Writing: every logical type stored exactly (checked against the server's own text), or refused before anything is written. */
describe('write', () => {
  const { db, open } = useDatabase();

  /** One column of every logical type, as a source such as connector-mysql describes them. */
  const COLUMNS: ColumnInfo[] = [
    { name: 'id', type: { kind: 'integer', bits: 64, unsigned: true }, nullable: false, primaryKey: true },
    { name: 'tiny', type: { kind: 'integer', bits: 8, unsigned: true } },
    { name: 'small_u', type: { kind: 'integer', bits: 16, unsigned: true } },
    { name: 'int_u', type: { kind: 'integer', bits: 32, unsigned: true } },
    { name: 'amount', type: { kind: 'decimal', precision: 30, scale: 10 }, nullable: false },
    { name: 'f4', type: { kind: 'float', bits: 32 } },
    { name: 'f8', type: { kind: 'float', bits: 64 } },
    { name: 'flag', type: { kind: 'boolean' } },
    { name: 'label', type: { kind: 'string', maxLength: 10 } },
    { name: 'body', type: { kind: 'string' } },
    { name: 'day', type: { kind: 'date' } },
    { name: 'clock', type: { kind: 'time', precision: 6 } },
    { name: 'wall', type: { kind: 'datetime', precision: 6 } },
    { name: 'wall9', type: { kind: 'datetime', precision: 9 } },
    { name: 'instant', type: { kind: 'timestamp', precision: 3 } },
    { name: 'blob', type: { kind: 'bytes' } },
    { name: 'doc', type: { kind: 'json' } },
    { name: 'size', type: { kind: 'enum', members: ['s', 'm', "l'x"] } },
    { name: 'tags', type: { kind: 'set', members: ['a', 'b', 'c'] } },
  ];

  const ROW: Row = {
    id: 18446744073709551615n,
    tiny: 255,
    small_u: 65535,
    int_u: 4294967295,
    amount: '-12345678901234567890.0123456789',
    f4: Math.fround(0.1),
    f8: -0,
    flag: true,
    label: '😀 emoji10',
    body: 'tab\there\nline\\back\r\n"quoted"',
    day: '2024-02-29',
    clock: '23:59:59.999999',
    wall: '2024-01-02T03:04:05.123456',
    wall9: '2024-01-02T03:04:05.123456000',
    instant: '2024-06-01T10:00:00.123Z',
    blob: Buffer.from([0, 1, 92, 255]),
    doc: '{"b": 1, "a": 1.50, "a": 12345678901234567890}',
    size: "l'x",
    tags: 'a,c',
  };

  test('createIfMissing derives the DDL from the logical types', async () => {
    const connection = await open();
    await connection.write({ table: 'all_types', rows: [[ROW]], columns: COLUMNS, createIfMissing: true });
    const { rows } = await db().sql(
      `SELECT attname, format_type(atttypid, atttypmod) AS type, attnotnull FROM pg_attribute
        WHERE attrelid = 'all_types'::regclass AND attnum > 0 ORDER BY attnum`,
    );
    expect(rows.map((row) => `${row.attname} ${row.type}${row.attnotnull ? ' not null' : ''}`)).toEqual([
      'id numeric(20,0) not null',
      'tiny smallint',
      'small_u integer',
      'int_u bigint',
      'amount numeric(30,10) not null',
      'f4 real',
      'f8 double precision',
      'flag boolean',
      'label character varying(10)',
      'body text',
      'day date',
      'clock time(6) without time zone',
      'wall timestamp(6) without time zone',
      'wall9 timestamp(6) without time zone',
      'instant timestamp(3) with time zone',
      'blob bytea',
      'doc json',
      'size text',
      'tags text',
    ]);
    const check = await db().sql(
      `SELECT pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conrelid = 'all_types'::regclass AND contype = 'c'`,
    );
    expect(check.rows[0]?.def).toContain(`'l''x'::text`);
  });

  test('every value is stored exactly: the server text matches', async () => {
    const { rows } = await db().sql(
      `SELECT id::text, tiny, amount::text, f4::text, f8::text, label, body, day::text, clock::text, wall::text,
              wall9::text, instant AT TIME ZONE 'UTC' AS instant_utc, encode(blob, 'hex') AS blob, doc::text, size, tags
         FROM all_types`,
    );
    expect(rows[0]).toEqual({
      id: '18446744073709551615',
      tiny: 255,
      amount: '-12345678901234567890.0123456789',
      f4: '0.1',
      f8: '-0',
      label: '😀 emoji10',
      body: 'tab\there\nline\\back\r\n"quoted"',
      day: '2024-02-29',
      clock: '23:59:59.999999',
      wall: '2024-01-02 03:04:05.123456',
      wall9: '2024-01-02 03:04:05.123456',
      instant_utc: expect.any(Date),
      blob: '00015cff',
      doc: '{"b": 1, "a": 1.50, "a": 12345678901234567890}',
      size: "l'x",
      tags: 'a,c',
    });
    const instant = await db().sql(
      `SELECT to_char(instant AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS.MS') AS t FROM all_types`,
    );
    expect(instant.rows[0]?.t).toBe('2024-06-01 10:00:00.123');
  });

  test('read back, the values are the canonical values of the created columns', async () => {
    const connection = await open();
    const [row] = await collect(connection.read({ table: 'all_types' }));
    expect(row).toMatchObject({
      id: '18446744073709551615', // bigint unsigned lives in numeric(20,0): decimal text
      tiny: 255,
      int_u: 4294967295n, // a bigint column reads as bigint
      amount: ROW.amount,
      f4: ROW.f4,
      body: ROW.body,
      wall9: '2024-01-02T03:04:05.123456',
      instant: ROW.instant,
      blob: ROW.blob,
      doc: ROW.doc,
    });
  });

  test('a value the column cannot hold is refused before anything is written, naming row and column', async () => {
    const connection = await open();
    const good = { ...ROW, id: 1n };
    const cases: Array<[Row, string, string]> = [
      [{ ...ROW, id: 2n, label: 'eleven char' }, 'label', 'VALUE_OUT_OF_RANGE'],
      [{ ...ROW, id: 2n, amount: '1.00000000001' }, 'amount', 'VALUE_OUT_OF_RANGE'],
      [{ ...ROW, id: 2n, wall9: '2024-01-02T03:04:05.123456789' }, 'wall9', 'VALUE_OUT_OF_RANGE'],
      [{ ...ROW, id: 2n, clock: '838:59:59.000000' }, 'clock', 'VALUE_OUT_OF_RANGE'],
      [{ ...ROW, id: 2n, body: 'nul \u0000 inside' }, 'body', 'VALUE_INVALID'],
      [{ ...ROW, id: 2n, body: 'lone \uD800 surrogate' }, 'body', 'VALUE_INVALID'],
      [{ ...ROW, id: 2n, amount: null }, 'amount', 'VALUE_INVALID'],
      [{ ...ROW, id: 2n, doc: '{not json' }, 'doc', 'VALUE_INVALID'],
      [{ ...ROW, id: 2n, f4: 0.1 }, 'f4', 'VALUE_OUT_OF_RANGE'],
    ];
    for (const [bad, column, code] of cases) {
      const before = await db().sql('SELECT count(*)::int AS n FROM all_types');
      const write = connection.write({
        table: 'all_types',
        columns: COLUMNS,
        rows: [[good], [{ ...good, id: 3n }, bad]],
        mode: 'upsert',
      });
      await expect(write, column).rejects.toMatchObject({ code, details: { column, row: 3 } });
      const after = await db().sql('SELECT count(*)::int AS n FROM all_types');
      expect(after.rows[0]?.n, `nothing of the write with a bad ${column} is stored`).toBe(before.rows[0]?.n);
    }
  });

  test("year 0000 (ISO 8601's 1 BC) is stored as the server's 0001 BC and reads back as 0000", async () => {
    const connection = await open();
    const edges = {
      day: '0000-02-29',
      wall: '0000-12-31T23:59:59.500000',
      instant: '0000-01-01T00:00:00.000Z',
    };
    await connection.write({ table: 'all_types', columns: COLUMNS, rows: [[{ ...ROW, id: 7n, ...edges }]] });
    const { rows } = await db().sql(
      'SELECT day::text, wall::text, instant::text FROM all_types WHERE id = 7',
    );
    expect(rows).toEqual([
      { day: '0001-02-29 BC', wall: '0001-12-31 23:59:59.5 BC', instant: '0001-01-01 00:00:00+00 BC' },
    ]);
    const [back] = await collect(
      connection.read({ query: 'SELECT day, wall, instant FROM all_types WHERE id = 7' }),
    );
    expect(back).toEqual(edges);
  });

  test("an enum's CHECK refuses a non-member on the server; the whole write rolls back", async () => {
    const connection = await open();
    const before = (await db().sql('SELECT count(*)::int AS n FROM all_types')).rows[0]?.n;
    const write = connection.write({
      table: 'all_types',
      columns: COLUMNS,
      rows: [[{ ...ROW, id: 5n }], [{ ...ROW, id: 6n, size: 'xl' }]],
    });
    await expect(write).rejects.toMatchObject({ code: 'VALUE_REJECTED', details: { sqlState: '23514' } });
    expect((await db().sql('SELECT count(*)::int AS n FROM all_types')).rows[0]?.n).toBe(before);
  });

  test('in a table the write creates, a non-member of an enum is refused before sending', async () => {
    const connection = await open();
    const columns: ColumnInfo[] = [{ name: 'size', type: { kind: 'enum', members: ['s', 'm'] } }];
    await expect(
      connection.write({
        table: 'sizes',
        columns,
        rows: [[{ size: 's' }], [{ size: 'xl' }]],
        createIfMissing: true,
      }),
    ).rejects.toMatchObject({ code: 'VALUE_OUT_OF_RANGE', details: { column: 'size', row: 2 } });
    expect((await db().sql("SELECT to_regclass('sizes') AS t")).rows[0]?.t).toBeNull();
  });

  test('a refused first write leaves no created table behind', async () => {
    const connection = await open();
    await expect(
      connection.write({
        table: 'never',
        columns: COLUMNS,
        rows: [[{ ...ROW, label: 'far too long for it' }]],
        createIfMissing: true,
      }),
    ).rejects.toMatchObject({ code: 'VALUE_OUT_OF_RANGE' });
    const { rows } = await db().sql("SELECT to_regclass('never') AS t");
    expect(rows[0]?.t).toBeNull();
  });

  test('upsert inserts and updates by key (the later of two rows with one key wins) and counts both', async () => {
    const connection = await open();
    await db().sql('CREATE TABLE people (id int PRIMARY KEY, name text NOT NULL, visits int DEFAULT 0)');
    await db().sql("INSERT INTO people VALUES (1, 'ann', 5), (2, 'bob', 7)");
    const result = await connection.write({
      table: 'people',
      mode: 'upsert',
      rows: [
        [
          { id: 2, name: 'bobby' },
          { id: 3, name: 'cy' },
        ],
        [{ id: 3, name: 'cyd' }],
      ],
    });
    expect(result).toMatchObject({
      rowsWritten: 3,
      rowsInserted: 1,
      rowsUpdated: 1,
      batches: 2,
      method: 'copy',
    });
    const { rows } = await db().sql('SELECT id, name, visits FROM people ORDER BY id');
    expect(rows).toEqual([
      { id: 1, name: 'ann', visits: 5 },
      { id: 2, name: 'bobby', visits: 7 },
      { id: 3, name: 'cyd', visits: 0 },
    ]);
  });

  test('replace swaps the content in one transaction: a reader sees the old rows until the commit', async () => {
    const connection = await open();
    await db().sql('CREATE TABLE swap (id int PRIMARY KEY)');
    await db().sql('INSERT INTO swap SELECT generate_series(1, 100)');
    let seenDuringWrite: number | undefined;
    async function* rows() {
      yield [{ id: 1001 }];
      // The delete and the first batch have run inside the write's transaction: another session still sees all.
      seenDuringWrite = (await db().sql('SELECT count(*)::int AS n FROM swap')).rows[0]?.n;
      yield [{ id: 1002 }];
    }
    const result = await connection.write({ table: 'swap', mode: 'replace', rows: rows() });
    expect(seenDuringWrite).toBe(100);
    expect(result).toMatchObject({ rowsWritten: 2, rowsDeleted: 100 });
    const { rows: after } = await db().sql('SELECT id FROM swap ORDER BY id');
    expect(after).toEqual([{ id: 1001 }, { id: 1002 }]);
  });

  test('a source that fails mid-way leaves the table as it was', async () => {
    const connection = await open();
    await db().sql('CREATE TABLE keep (id int)');
    await db().sql('INSERT INTO keep VALUES (1)');
    async function* rows() {
      yield [{ id: 2 }];
      throw new Error('source broke');
    }
    await expect(connection.write({ table: 'keep', mode: 'replace', rows: rows() })).rejects.toThrow(
      'source broke',
    );
    const { rows: after } = await db().sql('SELECT id FROM keep');
    expect(after).toEqual([{ id: 1 }]);
    // The connection went back healthy: the next write works.
    await connection.write({ table: 'keep', rows: [[{ id: 3 }]] });
    expect((await db().sql('SELECT count(*)::int AS n FROM keep')).rows[0]?.n).toBe(2);
  });

  test('an aborted write stops between batches with ABORTED and leaves the table as it was', async () => {
    const connection = await open();
    const controller = new AbortController();
    async function* rows() {
      yield [{ id: 10 }];
      controller.abort();
      yield [{ id: 11 }];
    }
    await expect(
      connection.write({ table: 'keep', rows: rows(), signal: controller.signal }),
    ).rejects.toMatchObject({
      code: 'ABORTED',
      category: 'internal',
    });
    expect((await db().sql('SELECT count(*)::int AS n FROM keep WHERE id >= 10')).rows[0]?.n).toBe(0);
    await connection.write({ table: 'keep', rows: [[{ id: 4 }]] });
  });

  test('unknown table and unknown column are refused up front', async () => {
    const connection = await open();
    await expect(connection.write({ table: 'nope', rows: [[{ a: 1 }]] })).rejects.toMatchObject({
      code: 'TABLE_NOT_FOUND',
      category: 'not_found',
    });
    await expect(connection.write({ table: 'keep', rows: [[{ id: 1, extra: 2 }]] })).rejects.toMatchObject({
      code: 'COLUMN_NOT_FOUND',
    });
  });
});
