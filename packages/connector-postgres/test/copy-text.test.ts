/**
 * COPY's text format, both ways: the scanner that splits COPY TO output and the field escaping of COPY FROM,
 * on tricky values (backslashes, tabs, newlines, `\N` as text, NULL against empty, unicode), by hand, as a
 * round trip over any text, and against the server: what it writes, the scanner reads back exactly; what the
 * encoder sends, the server stores exactly (long values crossing the socket's chunks included); the decoders
 * of the wall-clock types refuse what their type cannot spell (before 1 BC, five-digit years, infinity) in COPY too.
 */
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { CopyTextLines, escapeField, NULL_FIELD } from '../src/copy-text.js';
import { collect, useDatabase } from './support.js';

/** Every line of `text` split by the scanner. */
function scan(text: string): Array<Array<string | null>> {
  const lines = new CopyTextLines();
  lines.reset(text);
  const out: Array<Array<string | null>> = [];
  const fields: Array<string | null> = [];
  while (lines.next(fields)) out.push([...fields]);
  return out;
}

/** Rows as COPY FROM text, each line ending with its newline. */
const encode = (rows: ReadonlyArray<ReadonlyArray<string | null>>) =>
  rows
    .map((row) => `${row.map((field) => (field === null ? NULL_FIELD : escapeField(field))).join('\t')}\n`)
    .join('');

describe('COPY text scanner', () => {
  test('NULL, empty text and the text \\N are three different fields', () => {
    expect(scan('\\N\t\t\\\\N\n')).toEqual([[null, '', '\\N']]);
    expect(scan('\n')).toEqual([['']]);
    expect(scan('\\N\n\\N\n')).toEqual([[null], [null]]);
  });

  test('every escape COPY TO writes is resolved, wherever it sits in the field', () => {
    expect(scan('\\t\ta\\nb\tend\\\\\t\\\\\\\\\t\\r\\b\\f\\v\n')).toEqual([
      ['\t', 'a\nb', 'end\\', '\\\\', '\r\b\f\v'],
    ]);
    // A backslash before a character without an escape meaning stands for the character (COPY's rule).
    expect(scan('\\a\\.\n')).toEqual([['a.']]);
  });

  test('lines with and without backslashes alternate without one leaking into the next', () => {
    expect(scan('a\tb\n\\N\tc\\td\nplain\tplain\n\\\\\t\\N\n')).toEqual([
      ['a', 'b'],
      [null, 'c\td'],
      ['plain', 'plain'],
      ['\\', null],
    ]);
  });

  test('unicode passes untouched (multi-byte, emoji, combining marks)', () => {
    expect(scan('héllo\t😀\\t😀\te\u0301\t中文\n')).toEqual([['héllo', '😀\t😀', 'e\u0301', '中文']]);
  });

  test('text without a final newline holds no further line', () => {
    expect(scan('a\tb\nhalf a line')).toEqual([['a', 'b']]);
    expect(scan('')).toEqual([]);
  });

  test('any rows of any text survive escaping and scanning unchanged', () => {
    const field = fc.option(
      fc.oneof(
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: fc.constantFrom('\\', '\t', '\n', '\r', 'N', 'a', '\b', '\v', '\f', 'é', '😀') }),
      ),
      { nil: null },
    );
    fc.assert(
      fc.property(fc.array(fc.array(field, { minLength: 1, maxLength: 6 }), { maxLength: 8 }), (rows) => {
        expect(scan(encode(rows))).toEqual(rows);
      }),
      { numRuns: 2_000 },
    );
  });

  test('escaping touches only backslash, tab, newline and carriage return', () => {
    expect(escapeField('plain text, "quotes" and \u0001')).toBe('plain text, "quotes" and \u0001');
    expect(escapeField('\\\t\n\r')).toBe('\\\\\\t\\n\\r');
    expect(escapeField('a\\Nb')).toBe('a\\\\Nb');
  });
});

describe('COPY text on the real server', () => {
  const { db, open } = useDatabase('osiris_pg_copytext');

  /** Values a parser or encoder could get wrong; the last ones are long enough to span socket chunks. */
  const TRICKY: Array<string | null> = [
    null,
    '',
    '\\N',
    '\\',
    '\\\\',
    'ends in a backslash \\',
    '\\t is not a tab, \t is',
    'line\nline\r\nline\rline',
    '\b\f\v\u0001\u001f\u007f',
    'tab\t\t\ttabs',
    'héllo wörld, 中文, 😀👍🏽, e\u0301',
    'N',
    '\\.',
    `${'\\'.repeat(70_000)}x`,
    `${'a\tb\\c\nd'.repeat(40_000)}`,
    'é'.repeat(100_000),
  ];

  test('what the server writes in COPY, read() gives back exactly (both ways out, arrays and bytea too)', async () => {
    await db().sql('CREATE TABLE server_made (id int PRIMARY KEY, t text, b bytea, a text[])');
    for (const [index, value] of TRICKY.entries()) {
      await db().sql(
        "INSERT INTO server_made VALUES ($1, $2, convert_to($2, 'UTF8'), ARRAY[$2, NULL, 'x'])",
        [index, value],
      );
    }
    const { rows: expected } = await db().sql<{ t: string | null; a: string | null }>(
      'SELECT t, a::text AS a FROM server_made ORDER BY id',
    );
    const connection = await open();
    const objects = await collect(
      connection.read({ query: 'SELECT id, t, b, a FROM server_made ORDER BY id' }),
    );
    expect(objects.map((row) => row.t)).toEqual(TRICKY);
    const hex = (bytes: unknown) =>
      bytes === null ? null : Buffer.from(bytes as Uint8Array).toString('hex');
    expect(objects.map((row) => hex(row.b))).toEqual(TRICKY.map((value) => hex(value && Buffer.from(value))));
    expect(objects.every((row) => row.b === null || Buffer.isBuffer(row.b))).toBe(true);
    // An array column reads as its text form, the one the server prints for it.
    expect(objects.map((row) => row.a)).toEqual(expected.map((row) => row.a));

    const stream = connection.read({ table: 'server_made', batchSize: 3 });
    const positional: unknown[][] = [];
    for await (const batch of stream.positional?.() ?? []) positional.push(...batch);
    expect(positional.sort((x, y) => (x[0] as number) - (y[0] as number)).map((row) => row[1])).toEqual(
      TRICKY,
    );
  });

  test('what write() encodes, the server stores exactly (checked on the server, by md5 of each value)', async () => {
    await db().sql('CREATE TABLE written (id int PRIMARY KEY, t text, b bytea)');
    const connection = await open();
    const rows = TRICKY.map((t, id) => ({ id, t, b: t === null ? null : Buffer.from(t) }));
    await connection.write({ table: 'written', rows: [rows.slice(0, 5), rows.slice(5)] });
    const { rows: stored } = await db().sql<{ t: string | null; nul: boolean; same: boolean }>(
      "SELECT md5(t) AS t, t IS NULL AS nul, b IS NOT DISTINCT FROM convert_to(t, 'UTF8') AS same FROM written ORDER BY id",
    );
    const md5 = async (text: string) => {
      const { createHash } = await import('node:crypto');
      return createHash('md5').update(text, 'utf8').digest('hex');
    };
    expect(stored.map((row) => row.nul)).toEqual(TRICKY.map((value) => value === null));
    expect(stored.map((row) => row.t)).toEqual(
      await Promise.all(TRICKY.map((value) => (value === null ? null : md5(value)))),
    );
    expect(stored.every((row) => row.same)).toBe(true);
  });

  test("wall-clock values outside the contract's years stop a COPY read, naming column and row", async () => {
    const connection = await open();
    for (const [sql, column] of [
      ["SELECT 1 AS id, '0044-03-15 12:00:00 BC'::timestamp AS x", 'x'],
      ["SELECT 1 AS id, '10000-01-01 00:00:00+00'::timestamptz AS x", 'x'],
      ["SELECT 1 AS id, '-infinity'::timestamptz AS x", 'x'],
      ["SELECT 1 AS id, '0044-03-15 BC'::date AS x", 'x'],
      ["SELECT 1 AS id, '0002-12-31 BC'::date AS x", 'x'],
      ["SELECT 1 AS id, '12345-01-01'::date AS x", 'x'],
    ] as const) {
      await expect(collect(connection.read({ query: sql }))).rejects.toMatchObject({
        code: 'VALUE_OUT_OF_RANGE',
        details: { column, row: 1 },
      });
    }
    // The edges inside them arrive, padded to the column's precision.
    const rows = await collect(
      connection.read({
        query: `SELECT '0001-01-01 00:00:00'::timestamp(2) AS a, '9999-12-31 23:59:59.999+00'::timestamptz(3) AS b,
                  '2024-01-01 00:00:00.5+00'::timestamptz(6) AS c, '24:00:00'::time(1) AS d, '00:00:00.000001'::time AS e,
                  '0001-02-29 BC'::date AS f, '0001-01-01 00:00:00+00 BC'::timestamptz(0) AS g`,
      }),
    );
    expect(rows).toEqual([
      {
        a: '0001-01-01T00:00:00.00',
        b: '9999-12-31T23:59:59.999Z',
        c: '2024-01-01T00:00:00.500000Z',
        d: '24:00:00.0',
        e: '00:00:00.000001',
        f: '0000-02-29',
        g: '0000-01-01T00:00:00Z',
      },
    ]);
  });
});
