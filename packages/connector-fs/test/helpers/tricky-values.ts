import type { Row } from '@osiris/core';

/** Values that trip up CSV and JSON writers, one a row, labelled. */
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
  ['inner space', 'in side'],
  ['semicolon and pipe', 'a;b|c'],
  ['combining mark', 'e\u0301 vs \u00e9'],
  ['emoji', '👩‍💻 🇨🇿 😀'],
  ['empty string', ''],
  ['the word NULL', 'NULL'],
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
  ['invalid date', new Date(Number.NaN)],
  ['object', { b: 1, a: [1, 'x', null], big: 2n ** 64n, when: new Date('2024-01-01T00:00:00Z') }],
  ['array', [1, 'two, "2"', null]],
  ['bytes', new Uint8Array([0, 255, 16])],
];

/** The tricky values as rows `{ case, value }`. */
export const trickyRows = (): Row[] => TRICKY.map(([label, value]) => ({ case: label, value }));

/** Column names whose code-point order differs from UTF-16 order and from locale order. */
export const ORDER_COLUMNS = ['b', 'a', 'B', 'é', 'e\u0301', '😀', '\uff5e', '_', '10', '9'];
