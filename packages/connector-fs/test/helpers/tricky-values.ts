import { type ColumnInfo, canonicalizer, type Row } from '@osiris/core';

/** Values that trip up CSV and JSON writers, one a row, labelled, each in the column of its JS kind. */
export const TRICKY: ReadonlyArray<readonly [string, unknown]> = [
  ['plain', 'plain'],
  ['comma', 'a,b'],
  ['quotes', 'say "hi" ""twice""'],
  ['lf', 'line 1\nline 2'],
  ['crlf', 'line 1\r\nline 2'],
  ['lone cr', 'a\rb'],
  ['leading space', ' lead'],
  ['trailing space', 'trail '],
  ['leading tab', '\ttab'],
  ['inner tab and backslash', 'a\tb\\c'],
  ['inner space', 'in side'],
  ['semicolon and pipe', 'a;b|c'],
  ['combining mark', 'e\u0301 vs \u00e9'],
  ['emoji', '👩‍💻 🇨🇿 😀'],
  ['right to left', 'שלום עולם'],
  ['empty string', ''],
  ['the word NULL', 'NULL'],
  ['backslash N', '\\N'],
  ['null', null],
  ['undefined', undefined],
  ['integer', 42],
  ['negative zero', -0],
  ['1e21', 1e21],
  ['0.1 + 0.2', 0.1 + 0.2],
  ['smallest double', Number.MIN_VALUE],
  ['NaN', Number.NaN],
  ['Infinity', Number.POSITIVE_INFINITY],
  ['-Infinity', Number.NEGATIVE_INFINITY],
  ['2^63-1 bigint', 2n ** 63n - 1n],
  ['-2^63 bigint', -(2n ** 63n)],
  ['decimal string', '12345678901234567890.123456789'],
  ['true', true],
  ['false', false],
  ['before spring DST (Prague)', new Date('2024-03-31T00:30:00Z')],
  ['after spring DST (Prague)', new Date('2024-03-31T01:30:00Z')],
  ['before autumn DST (Prague)', new Date('2024-10-27T00:30:00Z')],
  ['after autumn DST (Prague)', new Date('2024-10-27T01:30:00Z')],
  ['milliseconds', new Date('2024-01-01T23:59:59.999Z')],
  ['year 99', new Date('0099-06-01T12:00:00Z')],
  ['object', { b: 1, a: [1, 'x', null], big: 2n ** 64n, when: new Date('2024-01-01T00:00:00Z') }],
  ['array', [1, 'two, "2"', null]],
  ['bytes', new Uint8Array([0, 255, 16])],
];

/** The declared columns of the tricky rows: one per JS kind, each with the logical type that holds it. */
export const TRICKY_COLUMNS: readonly ColumnInfo[] = [
  { name: 'case', type: { kind: 'string' }, nullable: false, primaryKey: true },
  { name: 'text', type: { kind: 'string' } },
  { name: 'float', type: { kind: 'float', bits: 64 } },
  { name: 'integer', type: { kind: 'integer', bits: 64, unsigned: false } },
  { name: 'boolean', type: { kind: 'boolean' } },
  { name: 'instant', type: { kind: 'timestamp', precision: 3 } },
  { name: 'json', type: { kind: 'json' } },
  { name: 'bytes', type: { kind: 'bytes' } },
];

function columnOf(value: unknown): string {
  if (value === null || value === undefined || typeof value === 'string') return 'text';
  if (typeof value === 'number') return 'float';
  if (typeof value === 'bigint') return 'integer';
  if (typeof value === 'boolean') return 'boolean';
  if (value instanceof Date) return 'instant';
  return value instanceof Uint8Array ? 'bytes' : 'json';
}

/** The tricky values as rows `{ case, <its column>: value }`. */
export const trickyRows = (): Row[] =>
  TRICKY.map(([label, value]) => ({ case: label, [columnOf(value)]: value }));

/** The rows as a typed read gives them back: every column present, each value canonical (bytes as a Buffer). */
export const trickyCanonical = (): Row[] =>
  trickyRows().map((row) =>
    Object.fromEntries(
      TRICKY_COLUMNS.map((column) => {
        const value = canonicalizer(column.type!)(row[column.name]);
        return [column.name, value instanceof Uint8Array ? Buffer.from(value) : value];
      }),
    ),
  );

/** Column names whose code-point order differs from UTF-16 order and from locale order. */
export const ORDER_COLUMNS = ['b', 'a', 'B', 'é', 'e\u0301', '😀', '\uff5e', '_', '10', '9'];
