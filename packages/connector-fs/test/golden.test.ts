import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { collect, connect, tempDir } from './helpers/temp-dir.js';
import { ORDER_COLUMNS, trickyRows } from './helpers/tricky-values.js';

const fixtures = fileURLToPath(new URL('./fixtures/golden/', import.meta.url));
/** `OSIRIS_UPDATE_GOLDEN=1` rewrites the golden files; review the diff before committing it. */
const update = process.env.OSIRIS_UPDATE_GOLDEN === '1';

async function expectGolden(name: string, actual: Buffer): Promise<void> {
  const path = join(fixtures, name);
  if (update) await writeFile(path, actual);
  expect(actual.toString('utf8')).toBe(await readFile(path, 'utf8'));
  expect(actual.equals(await readFile(path))).toBe(true);
}

const base = await tempDir();

/** Writes `rows` to a fresh file with the given settings and returns its bytes. */
async function written(
  name: string,
  settings: Record<string, unknown>,
  rows = trickyRows(),
): Promise<Buffer> {
  const conn = await connect({ base_dir: base });
  await conn.write({ path: name, rows: [rows.slice(0, 10), rows.slice(10)], ...settings });
  return readFile(join(base, name));
}

describe('golden files: tricky values, byte for byte', () => {
  for (const quoting of ['minimal', 'all', 'nonnumeric'] as const) {
    test(`CSV, quoting: ${quoting}`, async () => {
      await expectGolden(`tricky-${quoting}.csv`, await written(`tricky-${quoting}.csv`, { quoting }));
    });
  }

  test('CSV, dates on the wall clock of Europe/Prague across both DST changes, with offset and zone', async () => {
    const settings = { timezone: 'Europe/Prague', date_format: '%Y-%m-%dT%H:%M:%S.%f%z %Z' };
    await expectGolden('tricky-prague.csv', await written('tricky-prague.csv', settings));
  });

  test('CSV, semicolon delimiter, CRLF, null written as \\N', async () => {
    const settings = { delimiter: ';', newline: 'crlf', null_value: '\\N' };
    await expectGolden('tricky-semicolon-crlf.csv', await written('tricky-semicolon-crlf.csv', settings));
  });

  test('JSON Lines', async () => {
    await expectGolden('tricky.jsonl', await written('tricky.jsonl', {}));
  });

  test('columns in code-point order (not UTF-16, not locale), and as given with sort_columns: false', async () => {
    const row = Object.fromEntries(ORDER_COLUMNS.map((name, i) => [name, i]));
    await expectGolden('order-sorted.csv', await written('order-sorted.csv', {}, [row]));
    await expectGolden(
      'order-as-given.csv',
      await written('order-as-given.csv', { sort_columns: false }, [row]),
    );
  });

  test('the same input twice gives the same bytes', async () => {
    expect(await written('again-1.csv', {})).toEqual(await written('again-2.csv', {}));
    expect(await written('again-1.jsonl', {})).toEqual(await written('again-2.jsonl', {}));
  });
});

describe('golden files read back', () => {
  for (const quoting of ['minimal', 'all', 'nonnumeric'] as const) {
    test(`CSV, quoting: ${quoting}: every string comes back as written`, async () => {
      const conn = await connect({ base_dir: fixtures });
      const rows = await collect(conn.read({ path: `tricky-${quoting}.csv` }));
      const strings = trickyRows().filter((row) => typeof row.value === 'string' && row.value !== '');
      for (const row of strings) expect(rows).toContainEqual(row);
      // null and the empty string share the empty field's text once quoting is gone: both read as null.
      expect(rows.find((row) => row.case === 'empty string')?.value).toBeNull();
      expect(rows.find((row) => row.case === 'null')?.value).toBeNull();
      expect(rows.find((row) => row.case === '2^63-1 bigint')?.value).toBe('9223372036854775807');
    });
  }

  test('JSON Lines: bigints come back exact, strings and nulls as written', async () => {
    const conn = await connect({ base_dir: fixtures });
    const rows = await collect(conn.read({ path: 'tricky.jsonl' }));
    const value = (label: string) => rows.find((row) => row.case === label)?.value;
    expect(value('2^63-1 bigint')).toBe(2n ** 63n - 1n);
    expect(value('-2^63 bigint')).toBe(-(2n ** 63n));
    expect(value('empty string')).toBe('');
    expect(value('null')).toBeNull();
    expect(value('undefined')).toBeNull();
    expect(value('NaN')).toBe('NaN');
    expect(value('emoji')).toBe('👩‍💻 🇨🇿 😀');
    expect(value('object')).toEqual({
      b: 1,
      a: [1, 'x', null],
      big: 2n ** 64n,
      when: '2024-01-01T00:00:00.000Z',
    });
  });
});
