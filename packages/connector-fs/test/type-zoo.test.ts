import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ColumnInfo, LogicalType, Row } from '@osiris/core';
import { describe, expect, test } from 'vitest';
import { collect, connect, tempDir } from './helpers/temp-dir.js';

const base = await tempDir();
const conn = await connect({ base_dir: base, sort_columns: false });

const int = (bits: number, unsigned = false): LogicalType => ({ kind: 'integer', bits, unsigned });
const every = new Uint8Array(256).map((_, i) => i);

/** Every logical type with the edge values of the issue's type zoo (canonical values), column by column. */
const ZOO: ReadonlyArray<[string, LogicalType, unknown[]]> = [
  ['tiny', int(8), [-128, 127, 0]],
  ['utiny', int(8, true), [0, 255]],
  ['small', int(16), [-32768, 32767]],
  ['usmall', int(16, true), [65535, 0]],
  ['medium', int(24), [-8388608, 8388607]],
  ['int', int(32), [-2147483648, 2147483647]],
  ['uint', int(32, true), [4294967295, 0]],
  ['big', int(64), [-(2n ** 63n), 2n ** 63n - 1n, 0n]],
  ['ubig', int(64, true), [2n ** 64n - 1n, 0n]],
  ['bit1', int(1, true), [0, 1]],
  [
    'dec',
    { kind: 'decimal', precision: 38, scale: 10 },
    [
      '-9999999999999999999999999999.9999999999',
      '9999999999999999999999999999.9999999999',
      '0.0000000001',
      '0.0000000000',
    ],
  ],
  ['dec0', { kind: 'decimal', precision: 20, scale: 0 }, ['18446744073709551615', '-1']],
  [
    'dbl',
    { kind: 'float', bits: 64 },
    [5e-324, 2.2250738585072014e-308, -0, Number.NaN, Infinity, -Infinity, 1.7976931348623157e308, 0.1, 1e21],
  ],
  ['flt', { kind: 'float', bits: 32 }, [Math.fround(3.4e38), Math.fround(1.4e-45), -0, Math.fround(0.1)]],
  ['bool', { kind: 'boolean' }, [true, false]],
  ['day', { kind: 'date' }, ['0000-01-01', '9999-12-31', '2024-02-29']],
  ['time0', { kind: 'time', precision: 0 }, ['-838:59:59', '838:59:59', '00:00:00', '24:00:00']],
  ['time6', { kind: 'time', precision: 6 }, ['-838:59:59.000000', '123:45:06.000001', '-00:00:00.500000']],
  ...[0, 1, 2, 3, 4, 5, 6].map((precision): [string, LogicalType, unknown[]] => [
    `dt${precision}`,
    { kind: 'datetime', precision },
    [
      `2024-01-31T23:59:59${precision === 0 ? '' : `.${'123456'.slice(0, precision)}`}`,
      `1000-01-01T00:00:00${precision === 0 ? '' : `.${'0'.repeat(precision)}`}`,
    ],
  ]),
  ...[0, 3, 6].map((precision): [string, LogicalType, unknown[]] => [
    `ts${precision}`,
    { kind: 'timestamp', precision },
    [
      `1970-01-01T00:00:01${precision === 0 ? '' : `.${'9'.repeat(precision)}`}Z`,
      `2038-01-19T03:14:07${precision === 0 ? '' : `.${'0'.repeat(precision - 1)}1`}Z`,
    ],
  ]),
  ['year', int(16, true), [1901, 2155]],
  [
    'text',
    { kind: 'string' },
    [
      'O\'Brien, "quoted", comma',
      'cr\rlf\ncrlf\r\n',
      'tab\there \\ backslash \\\\ two',
      'NULL',
      '\\N',
      '',
      ' edge spaces ',
      'emoji 👩‍💻 RTL שלום combining e\u0301',
      '"',
      ',',
    ],
  ],
  ['short', { kind: 'string', maxLength: 4 }, ['😀😀😀😀', '', 'abcd']],
  [
    'blob',
    { kind: 'bytes' },
    [every, new Uint8Array(0), new Uint8Array([0]), new Uint8Array([0xff, 0xfe, 0x0a, 0x0d, 0x22, 0x2c])],
  ],
  ['size', { kind: 'enum', members: ['small', 'medium', 'large', ''] }, ['small', 'large', '']],
  ['flags', { kind: 'set', members: ['a', 'b', 'c'] }, ['', 'a,c', 'a,b,c']],
  [
    'doc',
    { kind: 'json' },
    ['{"big": 12345678901234567890, "f": 1.0, "s": "x,\\"y\\""}', '[]', 'null', '"text"', '{"b":1,"a":2}'],
  ],
];

const COLUMNS: ColumnInfo[] = [
  { name: 'id', type: int(32), nullable: false, primaryKey: true, nativeType: 'INT' },
  ...ZOO.map(([name, type]): ColumnInfo => ({ name, type, nullable: true })),
];

/** One row per edge value (each column cycles through its own), then a row of nulls. */
function zooRows(): Row[] {
  const count = Math.max(...ZOO.map(([, , values]) => values.length));
  const rows: Row[] = [];
  for (let i = 0; i < count; i++) {
    rows.push(
      Object.fromEntries([
        ['id', i + 1],
        ...ZOO.map(([name, , values]) => [name, values[i % values.length]]),
      ]),
    );
  }
  rows.push(Object.fromEntries([['id', count + 1], ...ZOO.map(([name]) => [name, null])]));
  return rows;
}

/** What a read gives back: bytes come as Buffers (a Uint8Array), every other value as written. */
const asRead = (rows: Row[]) =>
  rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => [
        key,
        value instanceof Uint8Array ? Buffer.from(value) : value,
      ]),
    ),
  );

/** A source that describes its columns, as a database read does. */
function describedSource(rows: Row[]) {
  return Object.assign([rows.slice(0, 3), rows.slice(3)], { columns: async () => COLUMNS });
}

describe('the type zoo: every logical type with edge values, written and read back identical', () => {
  for (const format of ['csv', 'jsonl'] as const) {
    test(`${format}: from a source that describes its columns`, async () => {
      const path = `zoo-described.${format}`;
      const rows = zooRows();
      const result = await conn.write({ path, rows: describedSource(rows) });
      expect(result.rowsWritten).toBe(rows.length);
      const stream = conn.read({ path });
      const back = await collect(stream);
      expect(back).toEqual(asRead(rows));
      // Every value compared with Object.is as well: -0 and NaN are themselves.
      for (const [r, row] of back.entries()) {
        for (const [name, value] of Object.entries(row)) {
          if (typeof value === 'number')
            expect(Object.is(value, rows[r]![name]), `${name} of row ${r + 1}`).toBe(true);
        }
      }
      expect(await stream.columns()).toEqual(
        COLUMNS.map(({ nativeType: _, ...column }) => ({
          ...column,
          nativeType: expect.any(String),
          primaryKey: column.primaryKey === true,
        })),
      );
    });

    test(`${format}: from plain row objects with declared columns (every value checked on the way)`, async () => {
      const path = `zoo-declared.${format}`;
      const rows = zooRows();
      await conn.write({ path, rows: [rows], columns: COLUMNS });
      expect(await collect(conn.read({ path }))).toEqual(asRead(rows));
    });
  }

  test('the same canonical rows give the same CSV from either path, and the text of each kind is its canonical text', async () => {
    const described = await readFile(join(base, 'zoo-described.csv'), 'utf8');
    expect(await readFile(join(base, 'zoo-declared.csv'), 'utf8')).toBe(described);
    const [header, first] = described.split('\n');
    const field = (name: string) => first!.split(',')[header!.split(',').indexOf(name)];
    expect(field('ubig')).toBe('18446744073709551615');
    expect(field('dbl')).toBe('5e-324');
    expect(field('time0')).toBe('-838:59:59');
    expect(field('dt6')).toBe('2024-01-31T23:59:59.123456');
    expect(field('ts3')).toBe('1970-01-01T00:00:01.999Z');
    expect(described).toContain(Buffer.from(every).toString('base64'));
    expect(described).toContain(',-0,');
  });

  test('JSON Lines: decimals as strings, bigints as exact numbers, non-finite floats as strings, -0 as -0, bytes as base64', async () => {
    const lines = (await readFile(join(base, 'zoo-described.jsonl'), 'utf8')).split('\n');
    expect(lines[0]).toContain('"big":-9223372036854775808,"ubig":18446744073709551615');
    expect(lines[0]).toContain('"dec":"-9999999999999999999999999999.9999999999"');
    expect(lines[2]).toContain('"dbl":-0,');
    expect(lines[3]).toContain('"dbl":"NaN"');
    expect(lines[0]).toContain(`"blob":"${Buffer.from(every).toString('base64')}"`);
    expect(lines[0]).toContain('"doc":"{\\"big\\": 12345678901234567890, ');
  });
});
