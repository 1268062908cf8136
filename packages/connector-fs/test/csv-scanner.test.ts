import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BadLine } from '@osiris/connector-fs';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CsvScanner, type ScanProblem } from '../src/csv/scanner.js';
import { collect, readingBench } from './helpers/temp-dir.js';

const { base, conn, readBack } = await readingBench();

/** Scans `text` cut into pieces at `cuts` (offsets, any order): the records with their lines, and the problems. */
function scanned(text: string, cuts: number[] = [], nullTexts: string[] = [''], delimiter = ',') {
  const records: Array<[number, Array<string | null>]> = [];
  const problems: ScanProblem[] = [];
  const scanner = new CsvScanner(
    delimiter,
    nullTexts,
    0,
    (fields, line) => records.push([line, fields]),
    (problem) => problems.push(problem),
  );
  const at = [...new Set(cuts.map((cut) => cut % (text.length + 1)))].sort((a, b) => a - b);
  let from = 0;
  for (const cut of at) {
    scanner.scan(text.slice(from, cut), false);
    from = cut;
  }
  scanner.scan(text.slice(from), true);
  return { records, problems };
}

/** csv-parse on the same text, reading an unquoted empty field as null (its `quoting` says which were quoted). */
function byCsvParse(text: string): Array<Array<string | null>> {
  return parse(text, {
    record_delimiter: ['\r\n', '\n'],
    relax_column_count: true,
    cast: (value, context) => (context.quoting || value !== '' ? value : null),
  }) as Array<Array<string | null>>;
}

describe('CSV scanner: what real files hold', () => {
  test('quoted delimiters, doubled quotes, quotes only, embedded LF, CR and CRLF, edge spaces', async () => {
    const text = [
      'a,b,c',
      '"x, y","say ""hi""",""""',
      '"line\none","cr\ralone","crlf\r\nkept"',
      '" lead",trail ,"  "',
    ].join('\r\n');
    expect(await readBack('tricky.csv', `${text}\r\n`)).toEqual([
      { a: 'x, y', b: 'say "hi"', c: '"' },
      { a: 'line\none', b: 'cr\ralone', c: 'crlf\r\nkept' },
      { a: ' lead', b: 'trail ', c: '  ' },
    ]);
  });

  test('empty versus NULL: an unquoted empty field is null, "" is the empty string, also at the line ends', async () => {
    expect(await readBack('empty.csv', 'a,b,c\n,"",\n"",,""\n,,\n')).toEqual([
      { a: null, b: '', c: null },
      { a: '', b: null, c: '' },
      { a: null, b: null, c: null },
    ]);
    // A single-column file: a blank line is one null field, `""` one empty string.
    expect(await readBack('one.csv', 'a\n\n""\nx\n')).toEqual([{ a: null }, { a: '' }, { a: 'x' }]);
  });

  test('a byte-order mark is dropped, and only at the start; a last line may end in CR or nothing', async () => {
    expect(await readBack('bom.csv', '\ufeff"a",b\n1,\ufeff2\r')).toEqual([{ a: '1', b: '\ufeff2' }]);
    expect(await readBack('nolf.csv', 'a,b\n1,"2"')).toEqual([{ a: '1', b: '2' }]);
  });

  test('very long fields, quoted and not, across many read chunks', async () => {
    const long = 'x'.repeat(3_000_000);
    const quoted = `${'ab"'.repeat(400_000)}\n${'c,'.repeat(300_000)}`;
    const content = `a,b\n${long},"${quoted.replaceAll('"', '""')}"\nshort,"${long}"\n`;
    const rows = await readBack('long.csv', content);
    expect(rows).toHaveLength(2);
    expect(rows[0]?.a).toBe(long);
    expect(rows[0]?.b).toBe(quoted);
    expect(rows[1]).toEqual({ a: 'short', b: long });
  });

  test('multi-byte characters cut by a chunk boundary arrive whole', async () => {
    const value = 'Žluťoučký kůň 🐎 '.repeat(20_000);
    expect(await readBack('utf8.csv', `a,b\n"${value}",${value}\n`)).toEqual([{ a: value, b: value }]);
  });

  test('rows in quoted fields keep later line numbers right', async () => {
    const warnings: BadLine[] = [];
    const rows = await readBack('lines.csv', 'a,b\n"1\n2\n3",x\n4\n5,y\n', {
      on_bad_lines: 'warn',
      onWarning: (warning) => warnings.push(warning),
    });
    expect(rows).toEqual([
      { a: '1\n2\n3', b: 'x' },
      { a: '5', b: 'y' },
    ]);
    expect(warnings.map(({ line }) => line)).toEqual([5]);
  });
});

describe('CSV scanner: malformed input is BAD_LINE at its file, line and column, naming no value', () => {
  const cases: Array<[string, string, number, number, RegExp]> = [
    ['stray.csv', 'a,b\n1,2\n3,se"cret\n', 3, 5, /quote inside an unquoted field/],
    ['after.csv', 'a,b\n"1"x,2\n', 2, 4, /closing quote is followed by/],
    ['unclosed.csv', 'a,b\n1,2\n3,"sec\nret\n', 3, 3, /never closed/],
    ['deep.csv', 'a,b\n"multi\nline",ok"ay\n', 3, 9, /quote inside an unquoted field/],
  ];
  for (const [name, content, line, column, message] of cases) {
    test(`${name}: line ${line}, column ${column}`, async () => {
      const error = await readBack(name, content).catch((e: unknown) => e);
      expect(error).toMatchObject({ code: 'BAD_LINE', category: 'config', file: name, line, column });
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toMatch(
        new RegExp(`^${name.replace('.', '\\.')}:${line}:${column}: `),
      );
      expect((error as Error).message).not.toMatch(/sec|ret|okay/);
    });
  }

  test("under 'warn' a syntax problem skips to the next line and reports its column", async () => {
    const warnings: BadLine[] = [];
    const rows = await readBack('warned.csv', 'a,b\n1,x"y\n2,3\n', {
      on_bad_lines: 'warn',
      onWarning: (warning) => warnings.push(warning),
    });
    expect(rows).toEqual([{ a: '2', b: '3' }]);
    expect(warnings).toEqual([
      { path: 'warned.csv', line: 2, column: 4, message: expect.stringMatching(/quote inside/) },
    ]);
  });

  test('the rows before a syntax problem are delivered before the error', async () => {
    await writeFile(join(base, 'partial.csv'), 'a\n1\n2\n"3\n');
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const batch of conn.read({ path: 'partial.csv', batchSize: 1 })) seen.push(...batch);
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_LINE', line: 4, column: 1 });
    expect(seen).toEqual([{ a: '1' }, { a: '2' }]);
    expect(await collect(conn.read({ path: 'partial.csv', on_bad_lines: 'skip' }))).toEqual([
      { a: '1' },
      { a: '2' },
    ]);
  });
});

describe('CSV scanner against csv-parse', () => {
  const unit = fc.constantFrom('a', 'b', ' ', ',', '"', '\n', '\r\n', 'é', '🐎', '\r');
  /** One field as RFC 4180 text: quoted when it must be, and sometimes when it need not. */
  const field = fc
    .tuple(fc.option(fc.string({ unit, maxLength: 8 }), { nil: null }), fc.boolean())
    .map(([value, quote]) => {
      if (value === null) return { value: null as string | null, text: '' };
      const must = value === '' || /[",\r\n]/.test(value);
      return { value, text: must || quote ? `"${value.replaceAll('"', '""')}"` : value };
    });
  const records = fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 });

  test('well-formed files, cut anywhere: the same records as csv-parse, which are the values written', () => {
    fc.assert(
      fc.property(
        records,
        fc.constantFrom('\n', '\r\n'),
        fc.boolean(),
        fc.array(fc.nat(), { maxLength: 6 }),
        (rows, newline, lastNewline, cuts) => {
          // A last record of one null field needs its line end: without it, it is no text at all.
          const blankLast = rows.at(-1)?.length === 1 && rows.at(-1)?.[0]?.value === null;
          const text =
            rows.map((row) => row.map((f) => f.text).join(',')).join(newline) +
            (lastNewline || blankLast ? newline : '');
          const expected = rows.map((row) => row.map((f) => f.value));
          const { records: got, problems } = scanned(text, cuts);
          expect(problems).toEqual([]);
          expect(got.map(([, fields]) => fields)).toEqual(expected);
          expect(got.map(([, fields]) => fields)).toEqual(byCsvParse(text));
        },
      ),
      { numRuns: 2_000 },
    );
  });

  test('random text, cut anywhere: where csv-parse reads it, the same records; where it refuses, a problem', () => {
    // No lone CR before the end: csv-parse would take it for the record delimiter of an old Mac file.
    const text = fc.string({ unit, maxLength: 40 }).filter((t) => !/\r(?!\n)/.test(t.slice(0, -1)));
    fc.assert(
      fc.property(text, fc.array(fc.nat(), { maxLength: 6 }), (input, cuts) => {
        let theirs: Array<Array<string | null>> | undefined;
        try {
          theirs = byCsvParse(input.endsWith('\r') ? input.slice(0, -1) : input);
        } catch {
          theirs = undefined;
        }
        const { records: got, problems } = scanned(input, cuts);
        if (theirs === undefined) expect(problems.length).toBeGreaterThan(0);
        else {
          expect(problems).toEqual([]);
          // csv-parse drops a file's blank lines where it ends; the connector reads one as a null field.
          expect(got.map(([, fields]) => fields).slice(0, theirs.length)).toEqual(theirs);
          for (const [, fields] of got.slice(theirs.length)) expect(fields).toEqual([null]);
        }
      }),
      { numRuns: 5_000 },
    );
  });

  test('null texts and another delimiter', () => {
    expect(scanned('NA;"NA";;x\n', [], ['NA', ''], ';').records).toEqual([[1, [null, 'NA', null, 'x']]]);
    expect(scanned('a;"b;c"\n', [3], [], ';').records).toEqual([[1, ['a', 'b;c']]]);
    expect(scanned(',""\n', [], []).records).toEqual([[1, ['', '']]]);
  });
});
