/** The fs type zoo: every logical type with its edge values, as rows and the columns describing them. */
import type { ColumnInfo, LogicalType, Row } from '@osiris/core';

const int = (bits: number, unsigned = false): LogicalType => ({ kind: 'integer', bits, unsigned });
export const every = new Uint8Array(256).map((_, i) => i);

/** Every logical type with the edge values of the issue's type zoo (canonical values), column by column. */
export const ZOO: ReadonlyArray<[string, LogicalType, unknown[]]> = [
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

export const COLUMNS: ColumnInfo[] = [
  { name: 'id', type: int(32), nullable: false, primaryKey: true, nativeType: 'INT' },
  ...ZOO.map(([name, type]): ColumnInfo => ({ name, type, nullable: true })),
];

/** One row per edge value (each column cycles through its own), then a row of nulls. */
export function zooRows(): Row[] {
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
export const asRead = (rows: Row[]) =>
  rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([key, value]) => [
        key,
        value instanceof Uint8Array ? Buffer.from(value) : value,
      ]),
    ),
  );

/** A source that describes its columns, as a database read does. */
export function describedSource(rows: Row[]) {
  return Object.assign([rows.slice(0, 3), rows.slice(3)], { columns: async () => COLUMNS });
}
