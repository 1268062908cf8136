import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { collect, connect, tempDir } from './helpers/temp-dir.js';
import { ORDER_COLUMNS, TRICKY_COLUMNS, trickyCanonical, trickyRows } from './helpers/tricky-values.js';

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
  const columns = rows === undefined ? undefined : TRICKY_COLUMNS;
  await conn.write({ path: name, rows: [rows.slice(0, 10), rows.slice(10)], columns, ...settings });
  return readFile(join(base, name));
}

/** The data file and its descriptor, each byte for byte. */
async function expectGoldenPair(name: string, settings: Record<string, unknown>): Promise<void> {
  await expectGolden(name, await written(name, settings));
  await expectGolden(`${name}.schema.json`, await readFile(join(base, `${name}.schema.json`)));
}

describe('golden files: tricky values, byte for byte, with their Table Schema', () => {
  for (const quoting of ['minimal', 'all', 'nonnumeric'] as const) {
    test(`CSV, quoting: ${quoting}`, async () => {
      await expectGoldenPair(`tricky-${quoting}.csv`, { quoting });
    });
  }

  test('CSV, dates on the wall clock of Europe/Prague across both DST changes, with offset and zone', async () => {
    const settings = { timezone: 'Europe/Prague', date_format: '%Y-%m-%dT%H:%M:%S.%f%z %Z' };
    await expectGoldenPair('tricky-prague.csv', settings);
  });

  test('CSV, semicolon delimiter, CRLF, null written as \\N', async () => {
    await expectGoldenPair('tricky-semicolon-crlf.csv', {
      delimiter: ';',
      newline: 'crlf',
      null_value: '\\N',
    });
  });

  test('JSON Lines', async () => {
    await expectGoldenPair('tricky.jsonl', {});
  });

  test('columns in code-point order (not UTF-16, not locale), and as given with sort_columns: false', async () => {
    const row = Object.fromEntries(ORDER_COLUMNS.map((name, i) => [name, i]));
    const untyped = { columns: undefined };
    await expectGolden('order-sorted.csv', await written('order-sorted.csv', untyped, [row]));
    await expectGolden(
      'order-as-given.csv',
      await written('order-as-given.csv', { ...untyped, sort_columns: false }, [row]),
    );
  });

  test('the same input twice gives the same bytes', async () => {
    expect(await written('again-1.csv', {})).toEqual(await written('again-2.csv', {}));
    expect(await written('again-1.jsonl', {})).toEqual(await written('again-2.jsonl', {}));
  });
});

describe('golden files read back through their descriptor: every value as it was, typed', () => {
  const files = [
    'tricky-minimal.csv',
    'tricky-all.csv',
    'tricky-nonnumeric.csv',
    'tricky-semicolon-crlf.csv',
    'tricky.jsonl',
  ];
  for (const name of files) {
    test(name, async () => {
      // No delimiter passed: the semicolon file's descriptor says how it was written.
      const conn = await connect({ base_dir: fixtures });
      const rows = await collect(conn.read({ path: name }));
      expect(rows).toEqual(trickyCanonical());
      const value = (label: string) => rows.find((row) => row.case === label);
      expect(value('empty string')?.text).toBe('');
      expect(value('null')?.text).toBeNull();
      expect(value('the word NULL')?.text).toBe('NULL');
      expect(value('backslash N')?.text).toBe('\\N');
      expect(Object.is(value('negative zero')?.float, -0)).toBe(true);
      expect(value('bytes')?.bytes).toEqual(Buffer.from([0, 255, 16]));
      expect(value('2^63-1 bigint')?.integer).toBe(2n ** 63n - 1n);
    });
  }

  test('tricky-prague.csv: the date_format column is read back by its pattern, the same instants, typed', async () => {
    const conn = await connect({ base_dir: fixtures });
    const stream = conn.read({ path: 'tricky-prague.csv' });
    expect(await collect(stream)).toEqual(trickyCanonical());
    expect((await stream.columns()).find((column) => column.name === 'instant')?.type).toEqual({
      kind: 'timestamp',
      precision: 3,
    });
    const text = await readFile(join(fixtures, 'tricky-prague.csv'), 'utf8');
    expect(text).toContain('2024-10-27T02:30:00.000000+0100 CET');
    expect(text).toContain('2024-10-27T02:30:00.000000+0200 CEST');
  });
});
