import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { collect, connect, tempDir } from './helpers/temp-dir.js';
import { asRead, COLUMNS, describedSource, every, zooRows } from './helpers/type-zoo.js';

const base = await tempDir();
const conn = await connect({ base_dir: base, sort_columns: false });

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
