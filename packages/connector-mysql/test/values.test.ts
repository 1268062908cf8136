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

  test('DATETIME and TIMESTAMP in the configured zone; DATE, TIME and µs precision as text', async () => {
    const utc = await open();
    await utc.query(
      `CREATE TABLE moments (id INT PRIMARY KEY, dt DATETIME(3), ts TIMESTAMP(3) NULL, d DATE, t TIME,
         micro DATETIME(6), zero DATETIME)`,
    );
    await utc.query("SET SESSION sql_mode = ''");
    await utc.query(
      `INSERT INTO moments VALUES (1, '2024-03-31 01:30:00.123', '2024-03-31 01:30:00.123', '2024-02-29',
        '-838:59:59', '2024-01-01 00:00:00.123456', '0000-00-00 00:00:00')`,
    );
    const [row] = (await utc.query('SELECT * FROM moments')).rows;
    expect(row).toEqual({
      id: 1,
      dt: new Date('2024-03-31T01:30:00.123Z'),
      ts: new Date('2024-03-31T01:30:00.123Z'),
      d: '2024-02-29',
      t: '-838:59:59',
      micro: '2024-01-01 00:00:00.123456',
      zero: '0000-00-00 00:00:00',
    });
    // The same stored values through a connection in +02:00: DATETIME is read as +02:00 wall time,
    // TIMESTAMP (an instant) is the same instant.
    const plusTwo = await open({ timezone: '+02:00' });
    const [shifted] = (await plusTwo.query('SELECT dt, ts FROM moments')).rows;
    expect(shifted).toEqual({
      dt: new Date('2024-03-30T23:30:00.123Z'),
      ts: new Date('2024-03-31T01:30:00.123Z'),
    });
  });

  test('binary as Buffer, JSON as its text, text as string, BIT as Buffer', async () => {
    const connection = await open();
    await connection.query(
      'CREATE TABLE mixed (b VARBINARY(8), blobby BLOB, j JSON, s VARCHAR(20), bits BIT(10), e ENUM("x","y"))',
    );
    await connection.query(
      `INSERT INTO mixed VALUES (X'00FF10', X'DEADBEEF', '{"n": 12345678901234567890, "s": "é"}', 'ünïcode ✓', b'1000000001', 'y')`,
    );
    const [row] = (await connection.query('SELECT * FROM mixed')).rows;
    expect(row).toEqual({
      b: Buffer.from([0x00, 0xff, 0x10]),
      blobby: Buffer.from('deadbeef', 'hex'),
      j: '{"n": 12345678901234567890, "s": "é"}',
      s: 'ünïcode ✓',
      bits: Buffer.from([0x02, 0x01]),
      e: 'y',
    });
  });

  test("values: 'text' gives the server's own spelling of every value", async () => {
    const connection = await open();
    const { rows } = await connection.query(
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
  });
});
