import { describe, expect, test } from 'vitest';
import { collect, useDatabase } from './support.js';

describe('value mapping (lossless)', () => {
  const { db, open } = useDatabase();

  test('200,000 random DOUBLEs read back exactly as the server stores them', async () => {
    const connection = await open();
    await connection.query('CREATE TABLE doubles (id INT PRIMARY KEY, x DOUBLE)');
    // Magnitudes from 1e-30 to 1e30, both signs, many digits: the values mysql2's own parser gets wrong.
    await connection.query(
      `INSERT INTO doubles SELECT seq, (RAND(seq) - 0.5) * POW(10, FLOOR(RAND(seq * 7) * 60) - 30)
         FROM seq_1_to_200000`,
    );
    const rows = await collect(
      connection.read({
        query: 'SELECT id, x, CAST(x AS CHAR) AS text FROM doubles ORDER BY id',
        batchSize: 5_000,
      }),
    );
    expect(rows).toHaveLength(200_000);
    const differ = rows.filter((row) => row.x !== Number(row.text));
    expect(differ).toEqual([]);

    // The binary protocol carries the stored 8 bytes: compare against it too.
    const [binary] = await db().admin.execute('SELECT id, x FROM doubles ORDER BY id');
    const stored = binary as Array<{ id: number; x: number }>;
    expect(stored.filter((row, index) => !Object.is(row.x, rows[index]?.x))).toEqual([]);

    // Control: the same column through mysql2's default text parsing does differ, so the check above can fail.
    const [plain] = await db().admin.query('SELECT x FROM doubles ORDER BY id');
    const wrong = (plain as Array<{ x: number }>).filter((row, index) => row.x !== stored[index]?.x);
    expect(wrong.length).toBeGreaterThan(0);
  });

  test('BIGINT as bigint, DECIMAL as exact string, integers as numbers', async () => {
    const connection = await open();
    const { rows } = await connection.query(
      `SELECT CAST(9223372036854775807 AS SIGNED) AS big, CAST(18446744073709551615 AS UNSIGNED) AS ubig,
              CAST(-9223372036854775808 AS SIGNED) AS small,
              CAST('12345678901234567890.123456789012345678' AS DECIMAL(38,18)) AS dec38,
              CAST(2147483647 AS SIGNED INT) + 0 AS int_sum, 7 AS seven, NULL AS nothing`,
    );
    expect(rows[0]).toEqual({
      big: 9223372036854775807n,
      ubig: 18446744073709551615n,
      small: -9223372036854775808n,
      dec38: '12345678901234567890.123456789012345678',
      int_sum: 2147483647n,
      seven: 7,
      nothing: null,
    });
  });

  test('DATETIME as wall-clock text, TIMESTAMP as the UTC instant whatever the zone, DATE/TIME as text, µs kept', async () => {
    const utc = await open();
    await utc.query(
      `CREATE TABLE moments (id INT PRIMARY KEY, dt DATETIME(3), ts TIMESTAMP(3) NULL, d DATE, t TIME,
         micro DATETIME(6), zero DATETIME, ts6 TIMESTAMP(6) NULL)`,
    );
    await utc.query("SET SESSION sql_mode = ''");
    await utc.query(
      `INSERT INTO moments VALUES (1, '2024-03-31 01:30:00.123', '2024-03-31 01:30:00.123', '2024-02-29',
        '-838:59:59', '2024-01-01 00:00:00.123456', '0000-00-00 00:00:00', '2038-01-19 03:14:07.999999')`,
    );
    const [row] = (await utc.query('SELECT * FROM moments')).rows;
    expect(row).toEqual({
      id: 1,
      dt: '2024-03-31T01:30:00.123',
      ts: '2024-03-31T01:30:00.123Z',
      d: '2024-02-29',
      t: '-838:59:59',
      micro: '2024-01-01T00:00:00.123456',
      // A zero date names no day: it keeps its digits (sinks other than MySQL refuse it).
      zero: '0000-00-00T00:00:00',
      ts6: '2038-01-19T03:14:07.999999Z',
    });
    // The same stored values through a connection in +02:00: the server spells TIMESTAMP in the session's
    // zone, the connector gives the same instant back; DATETIME has no zone and reads the same.
    const plusTwo = await open({ timezone: '+02:00' });
    const [shifted] = (await plusTwo.query('SELECT dt, ts, ts6, CAST(ts AS CHAR) AS text FROM moments')).rows;
    expect(shifted).toEqual({
      dt: '2024-03-31T01:30:00.123',
      ts: '2024-03-31T01:30:00.123Z',
      ts6: '2038-01-19T03:14:07.999999Z',
      text: '2024-03-31 03:30:00.123',
    });
  });

  test('binary as Buffer, JSON as its text, text as string, BIT as its unsigned integer', async () => {
    const connection = await open();
    await connection.query(
      'CREATE TABLE mixed (b VARBINARY(8), blobby BLOB, j JSON, s VARCHAR(20), bits BIT(10), wide BIT(64), e ENUM("x","y"))',
    );
    await connection.query(
      `INSERT INTO mixed VALUES (X'00FF10', X'DEADBEEF', '{"n": 12345678901234567890, "s": "é"}', 'ünïcode ✓', b'1000000001', b'1${'0'.repeat(63)}', 'y')`,
    );
    const [row] = (await connection.query('SELECT * FROM mixed')).rows;
    expect(row).toEqual({
      b: Buffer.from([0x00, 0xff, 0x10]),
      blobby: Buffer.from('deadbeef', 'hex'),
      j: '{"n": 12345678901234567890, "s": "é"}',
      s: 'ünïcode ✓',
      bits: 513,
      wide: 9223372036854775808n,
      e: 'y',
    });
  });

  test('FLOAT: a table read is exact; a raw query gets the nearest single to the 6 digits the server sends', async () => {
    const connection = await open();
    await connection.query('CREATE TABLE singles (id INT PRIMARY KEY, f FLOAT)');
    // 16777217 is no single: FLOAT holds 16777216. 0.3 and 1/3 need 9 digits to round-trip.
    await connection.query('INSERT INTO singles VALUES (1, 0.1), (2, 1/3), (3, 123456.789), (4, 16777217)');
    const [binary] = await db().admin.execute('SELECT f FROM singles ORDER BY id');
    const stored = (binary as Array<{ f: number }>).map((row) => Math.fround(row.f));
    const table = await collect(connection.read({ table: 'singles', orderBy: 'id' }));
    expect(table.map((row) => row.f)).toEqual(stored);
    expect(stored[0]).toBe(0.10000000149011612);
    const raw = await collect(connection.read({ query: 'SELECT f FROM singles ORDER BY id' }));
    // Short values come back right, longer ones are rounded by the server: the documented limit.
    expect(raw[0]?.f).toBe(stored[0]);
    expect(raw[2]?.f).not.toBe(stored[2]);
    const cast = await collect(
      connection.read({ query: 'SELECT CAST(f AS DOUBLE) AS f FROM singles ORDER BY id' }),
    );
    expect(cast.map((row) => row.f)).toEqual(stored);
  });

  test("values: 'text' gives the server's own spelling of every value, and then no logical types", async () => {
    const connection = await open();
    const { rows, columns } = await connection.query(
      `SELECT 1.5e300 AS d, CAST(123 AS SIGNED) AS big, CAST('2024-01-02 03:04:05' AS DATETIME) AS dt,
              X'0102' AS bin, 12 AS small, NULL AS nothing`,
      [],
      { values: 'text' },
    );
    expect(rows[0]).toEqual({
      d: '1.5e300',
      big: '123',
      dt: '2024-01-02 03:04:05',
      bin: Buffer.from([1, 2]),
      small: '12',
      nothing: null,
    });
    // Text is not the canonical value of a DOUBLE or a DATETIME: columns() does not claim it is.
    expect(columns.map((column) => [column.name, column.type, column.nativeType])).toEqual([
      ['d', undefined, 'DOUBLE'],
      ['big', undefined, 'INT'],
      ['dt', undefined, 'DATETIME'],
      ['bin', undefined, 'VARBINARY(2)'],
      ['small', undefined, 'INT'],
      ['nothing', undefined, 'VARBINARY(0)'],
    ]);
  });
});
