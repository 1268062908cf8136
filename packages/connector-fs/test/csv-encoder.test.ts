import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CsvEncoder, type Quoting } from '../src/csv/encoder.js';
import { TextBytes } from '../src/text-bytes.js';

const QUOTINGS: Quoting[] = ['minimal', 'all', 'nonnumeric'];
const DELIMITERS = [',', ';', '\t', '|', ' ', 'x', '.'];

/** The UTF-8 text `records()` appends for these rows. */
function recordsText(encoder: CsvEncoder, rows: unknown[][], columns: string[], positions: number[]): string {
  const out = new TextBytes('utf8');
  encoder.records(rows, columns, positions, out);
  return Buffer.from(out.take()).toString('utf8');
}

/** Any text, including quotes, both line ends, delimiters and edge spaces. */
const field = fc.string({
  unit: fc.oneof(
    fc.constantFrom('"', ',', ';', '\t', '|', '\r', '\n', ' ', 'x', '.'),
    fc.string({ unit: 'grapheme', minLength: 1, maxLength: 1 }),
  ),
});

describe('CsvEncoder', () => {
  test('any strings, any quoting and delimiter: a standard parser reads back exactly the values', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
        fc.constantFrom(...QUOTINGS),
        fc.constantFrom(...DELIMITERS),
        fc.constantFrom<'lf' | 'crlf'>('lf', 'crlf'),
        (records, quoting, delimiter, newline) => {
          const width = records[0]!.length;
          const rows = records.map((record) => Array.from({ length: width }, (_, i) => record[i] ?? ''));
          const positions = rows[0]!.map((_, i) => i);
          const text = recordsText(new CsvEncoder({ quoting, delimiter, newline }), rows, [], positions);
          expect(parse(text, { delimiter, relax_column_count: false })).toEqual(rows);
        },
      ),
    );
  });

  test('numbers read back as their shortest round-trip text (-0 included), under every quoting and delimiter', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(fc.double(), fc.integer(), fc.bigInt()), { minLength: 1, maxLength: 6 }),
        fc.constantFrom(...QUOTINGS),
        fc.constantFrom(...DELIMITERS),
        (values, quoting, delimiter) => {
          const text = new CsvEncoder({ quoting, delimiter }).record(values);
          const texts = values.map((value) => (Object.is(value, -0) ? '-0' : `${value}`));
          expect(parse(text, { delimiter })).toEqual([texts]);
        },
      ),
    );
  });

  test('minimal quoting quotes only what needs it; nonnumeric leaves numbers bare; all quotes everything but null', () => {
    const values = ['plain', 'a,b', ' lead', '', 7, 2n, true, null];
    expect(new CsvEncoder().record(values)).toBe('plain,"a,b"," lead","",7,2,true,\n');
    expect(new CsvEncoder({ quoting: 'nonnumeric' }).record(values)).toBe(
      '"plain","a,b"," lead","",7,2,"true",\n',
    );
    expect(new CsvEncoder({ quoting: 'all' }).record(values)).toBe(
      '"plain","a,b"," lead","","7","2","true",\n',
    );
  });

  test('a string equal to null_value, and the empty string, are quoted, so that they differ from null', () => {
    expect(new CsvEncoder({ null_value: 'NULL' }).record(['NULL', null, ''])).toBe('"NULL",NULL,""\n');
  });

  test('field(), record() and records() agree; records() takes each field from its position', () => {
    const encoder = new CsvEncoder();
    const rows = [
      { a: 1, b: 'x,y' },
      { a: null, b: new Date('2024-05-06T07:08:09Z') },
    ];
    const arrays = rows.map((row) => [row.a, row.b]);
    expect(recordsText(encoder, arrays, ['a', 'b'], [0, 1])).toBe(
      arrays.map((values) => encoder.record(values)).join(''),
    );
    expect(recordsText(encoder, arrays, ['b', 'a'], [1, 0])).toBe(
      arrays.map(([a, b]) => encoder.record([b, a])).join(''),
    );
    expect(encoder.record(arrays[1]!)).toBe(`${encoder.field(null)},${encoder.field(arrays[1]![1])}\n`);
    expect(encoder.header(['a', 'b c', 'd,e'])).toBe('a,b c,"d,e"\n');
  });

  test('a delimiter that cannot work is refused at once', () => {
    for (const delimiter of ['"', '\n', '\r', ',,', '']) {
      expect(() => new CsvEncoder({ delimiter }), JSON.stringify(delimiter)).toThrow(
        expect.objectContaining({ code: 'REQUEST_INVALID' }),
      );
    }
  });
});
