import type { Row } from '@osiris/core';
import { describe, expect, test } from 'vitest';
import type { MysqlConnection } from '../src/index.js';
import { useDatabase } from './support.js';

/** The table's rows as the server's own text, to prove a refused write left them as they were. */
async function content(connection: MysqlConnection, table: string): Promise<unknown[]> {
  const { rows } = await connection.query(`SELECT * FROM \`${table}\` ORDER BY 1`, [], { values: 'text' });
  return rows;
}

describe.each(['insert', 'load-data'] as const)(
  'refusals via %s: before the batch is written, naming row, column and type',
  (method) => {
    const { open } = useDatabase();
    const suffix = method.replace('-', '_');

    /** A table with one row already in it, and what it holds. */
    async function table(connection: MysqlConnection, name: string, columns: string, row: string) {
      await connection.query(`CREATE TABLE \`${name}\` (id INT PRIMARY KEY, ${columns})`);
      await connection.query(`INSERT INTO \`${name}\` VALUES (0, ${row})`);
      return content(connection, name);
    }

    async function refused(connection: MysqlConnection, name: string, rows: Row[][]) {
      return connection.write({ table: name, rows, method }).then(
        () => expect.unreachable('the write was accepted'),
        (error: unknown) =>
          error as { code: string; category: string; message: string; details: Record<string, unknown> },
      );
    }

    test('a value out of the column range (TINYINT UNSIGNED, BIGINT UNSIGNED)', async () => {
      const connection = await open();
      const name = `range_${suffix}`;
      const before = await table(connection, name, 'small TINYINT UNSIGNED, big BIGINT UNSIGNED', '1, 1');
      const error = await refused(connection, name, [
        [
          { id: 1, small: 255, big: 18446744073709551615n },
          { id: 2, small: 256, big: 1n },
        ],
      ]);
      expect(error).toMatchObject({
        code: 'VALUE_OUT_OF_RANGE',
        category: 'config',
        details: { row: 2, column: 'small', type: 'integer(8, unsigned)', nativeType: 'tinyint(3) unsigned' },
      });
      expect(error.message).toContain('row 2');
      expect(error.message).not.toContain('256');
      const negative = await refused(connection, name, [[{ id: 3, small: 0, big: -1n }]]);
      expect(negative.details).toMatchObject({ row: 1, column: 'big' });
      expect(await content(connection, name)).toEqual(before);
    });

    test('too many fraction digits (DECIMAL(5,2), DATETIME(3), TIME)', async () => {
      const connection = await open();
      const name = `fraction_${suffix}`;
      const before = await table(
        connection,
        name,
        'money DECIMAL(5,2), at DATETIME(3), span TIME',
        "1, NOW(), '00:00:01'",
      );
      for (const [row, column, type] of [
        [{ id: 1, money: '1.234', at: null, span: null }, 'money', 'decimal(5,2)'],
        [{ id: 1, money: '1.5', at: '2024-01-01T00:00:00.1234', span: null }, 'at', 'datetime(3)'],
        [{ id: 1, money: null, at: null, span: '00:00:00.5' }, 'span', 'time(0)'],
      ] as const) {
        const error = await refused(connection, name, [[{ id: 9, money: null, at: null, span: null }, row]]);
        expect(error).toMatchObject({ code: 'VALUE_OUT_OF_RANGE', details: { row: 2, column, type } });
      }
      // 1.230 is 1.23: zeros beyond the scale change nothing and pass.
      await connection.write({
        table: name,
        rows: [[{ id: 5, money: '1.230', at: null, span: null }]],
        method,
      });
      expect((await connection.query(`SELECT money FROM ${name} WHERE id = 5`)).rows).toEqual([
        { money: '1.23' },
      ]);
      await connection.query(`DELETE FROM ${name} WHERE id = 5`);
      expect(await content(connection, name)).toEqual(before);
    });

    test('a refusal in a later batch: rows are counted over the whole write; INSERT keeps earlier batches, LOAD DATA none', async () => {
      const connection = await open();
      const name = `later_batch_${suffix}`;
      await connection.query(`CREATE TABLE ${name} (id INT PRIMARY KEY, small TINYINT)`);
      const error = await refused(connection, name, [
        [
          { id: 1, small: 1 },
          { id: 2, small: 2 },
        ],
        [
          { id: 3, small: 3 },
          { id: 4, small: 300 },
        ],
      ]);
      expect(error).toMatchObject({
        code: 'VALUE_OUT_OF_RANGE',
        details: { row: 4, column: 'small', batch: 2, committedRows: method === 'insert' ? 2 : 0 },
      });
      expect((await connection.query(`SELECT id FROM ${name} ORDER BY id`)).rows).toEqual(
        method === 'insert' ? [{ id: 1 }, { id: 2 }] : [],
      );
    });

    test('NULL for a NOT NULL column', async () => {
      const connection = await open();
      const name = `not_null_${suffix}`;
      const before = await table(connection, name, "label VARCHAR(10) NOT NULL DEFAULT ''", "'x'");
      const error = await refused(connection, name, [
        [{ id: 1, label: '' }, { id: 2, label: 'b' }, { id: 3 }],
      ]);
      expect(error).toMatchObject({
        code: 'VALUE_INVALID',
        details: { row: 3, column: 'label', type: 'string(10)', nativeType: 'varchar(10)' },
      });
      expect(await content(connection, name)).toEqual(before);
    });

    test("a table's values into a narrower existing column (mysql → mysql)", async () => {
      const connection = await open();
      const wide = `wide_${suffix}`;
      const narrow = `narrow_${suffix}`;
      await connection.query(`CREATE TABLE ${wide} (id INT PRIMARY KEY, code VARCHAR(20), n BIGINT)`);
      await connection.query(
        `INSERT INTO ${wide} VALUES (1, 'short', 5), (2, 'just fits', 6), (3, 'much too long', 7)`,
      );
      const before = await table(connection, narrow, 'code VARCHAR(9), n INT', "'kept', 1");
      const error = await connection
        .write({ table: narrow, rows: connection.read({ table: wide, orderBy: 'id' }), method })
        .catch((failure: unknown) => failure as { code: string; details: unknown });
      expect(error).toMatchObject({
        code: 'VALUE_OUT_OF_RANGE',
        details: { row: 3, column: 'code', type: 'string(9)', nativeType: 'varchar(9)' },
      });
      expect(await content(connection, narrow)).toEqual(before);
    });

    test('what MySQL would change: YEAR 5, a short BINARY, -0, a CHAR with a trailing space, TIMESTAMP before 1970', async () => {
      const connection = await open();
      const name = `mysql_limits_${suffix}`;
      const before = await table(
        connection,
        name,
        'y YEAR, b BINARY(4), d DOUBLE, c CHAR(5), t TIMESTAMP(0) NULL',
        "2000, X'01020304', 1.5, 'a', '2000-01-01 00:00:00'",
      );
      const good = { id: 1, y: 0, b: Buffer.from([0, 0, 0, 0]), d: 0, c: 'ab', t: '1970-01-01T00:00:01Z' };
      for (const [bad, column] of [
        [{ y: 5 }, 'y'],
        [{ b: Buffer.from([1, 2]) }, 'b'],
        [{ d: -0 }, 'd'],
        [{ d: Number.NaN }, 'd'],
        [{ c: 'ab ' }, 'c'],
        [{ t: '1969-12-31T23:59:59Z' }, 't'],
      ] as const) {
        const error = await refused(connection, name, [[good, { ...good, id: 2, ...bad }]]);
        expect(error).toMatchObject({ code: 'VALUE_OUT_OF_RANGE', details: { row: 2, column } });
      }
      expect(await content(connection, name)).toEqual(before);
      // The edges themselves go in, and read back unchanged.
      await connection.write({ table: name, rows: [[good]], method });
      const [row] = (await connection.query(`SELECT * FROM ${name} WHERE id = 1`)).rows;
      expect(row).toEqual({ ...good, y: 0 });
    });

    test("a TEXT's limit is bytes: 30,000 'é' fit (60,000 bytes), 40,000 do not", async () => {
      const connection = await open();
      const name = `text_bytes_${suffix}`;
      const before = await table(connection, name, 'body TEXT', "'x'");
      const error = await refused(connection, name, [
        [
          { id: 1, body: 'é'.repeat(30_000) },
          { id: 2, body: 'é'.repeat(40_000) },
        ],
      ]);
      expect(error).toMatchObject({
        code: 'VALUE_OUT_OF_RANGE',
        details: { row: 2, column: 'body', nativeType: 'text' },
      });
      expect(await content(connection, name)).toEqual(before);
      await connection.write({ table: name, rows: [[{ id: 1, body: 'é'.repeat(30_000) }]], method });
      const { rows } = await connection.query(`SELECT LENGTH(body) AS bytes FROM ${name} WHERE id = 1`);
      expect(rows).toEqual([{ bytes: 60_000 }]);
    });

    test('createIfMissing refuses a type MySQL cannot hold before creating anything', async () => {
      const connection = await open();
      const name = `wide_decimal_${suffix}`;
      await expect(
        connection.write({
          table: name,
          createIfMissing: true,
          method,
          columns: [{ name: 'n', type: { kind: 'decimal', precision: 70, scale: 2 } }],
          rows: [[{ n: '1.00' }]],
        }),
      ).rejects.toMatchObject({ code: 'TYPE_UNSUPPORTED', category: 'config', details: { column: 'n' } });
      // A first batch that cannot be stored leaves no table behind either.
      await expect(
        connection.write({
          table: name,
          createIfMissing: true,
          method,
          columns: [{ name: 'n', type: { kind: 'integer', bits: 8, unsigned: false } }],
          rows: [[{ n: 1 }, { n: 128 }]],
        }),
      ).rejects.toMatchObject({ code: 'VALUE_OUT_OF_RANGE', details: { row: 2, column: 'n' } });
      expect((await connection.query('SHOW TABLES LIKE ?', [name])).rows).toEqual([]);
    });

    test('booleans go into TINYINT(1) and BIT(1) as 1 and 0; JS values convert when exact (numbers into DECIMAL, Dates into DATETIME)', async () => {
      const connection = await open();
      const name = `conversions_${suffix}`;
      await connection.query(
        `CREATE TABLE ${name} (id INT PRIMARY KEY, flag TINYINT(1), bit BIT(1), price DECIMAL(8,3), at DATETIME(3))`,
      );
      await connection.write({
        table: name,
        method,
        rows: [
          [
            { id: 1, flag: true, bit: true, price: 2.5, at: new Date('2024-02-29T23:59:59.999Z') },
            { id: 2, flag: false, bit: false, price: '-0.001', at: '1999-12-31T23:59:59.5' },
          ],
        ],
      });
      expect((await connection.query(`SELECT * FROM ${name} ORDER BY id`)).rows).toEqual([
        { id: 1, flag: 1, bit: 1, price: '2.500', at: '2024-02-29T23:59:59.999' },
        { id: 2, flag: 0, bit: 0, price: '-0.001', at: '1999-12-31T23:59:59.500' },
      ]);
    });
  },
);
