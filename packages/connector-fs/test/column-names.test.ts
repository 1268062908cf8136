import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { collect, connect, tempDir } from './helpers/temp-dir.js';

const base = await tempDir();

/** Rows whose keys are names objects inherit: JSON.parse gives them as own properties, so can a file. */
const rows = () => [
  JSON.parse('{"__proto__":"p","toString":"t","constructor":"c","id":1}') as Record<string, unknown>,
  { id: 2 },
];

describe('column names that objects inherit (__proto__, toString, constructor) are plain data', () => {
  for (const format of ['csv', 'jsonl'] as const) {
    test(`${format}: written as data, missing ones as null, read back as own properties`, async () => {
      const conn = await connect({ base_dir: base });
      await conn.write({ path: `names.${format}`, rows: [rows()] });
      const text = await readFile(join(base, `names.${format}`), 'utf8');
      expect(text).toBe(
        format === 'csv'
          ? '__proto__,constructor,id,toString\np,c,1,t\n,,2,\n'
          : '{"__proto__":"p","constructor":"c","id":1,"toString":"t"}\n' +
              '{"__proto__":null,"constructor":null,"id":2,"toString":null}\n',
      );
      const back = await collect(conn.read({ path: `names.${format}` }));
      for (const row of back) {
        expect(Object.getPrototypeOf(row)).toBe(Object.prototype);
        expect(Object.keys(row).sort()).toEqual(['__proto__', 'constructor', 'id', 'toString']);
      }
      expect(Object.getOwnPropertyDescriptor(back[0], '__proto__')?.value).toBe('p');
      expect(Object.getOwnPropertyDescriptor(back[1], 'toString')?.value).toBeNull();
      const picked = await collect(
        conn.read({ path: `names.${format}`, columns: ['toString', '__proto__'] }),
      );
      expect(picked.map((row) => Object.getOwnPropertyDescriptor(row, '__proto__')?.value)).toEqual([
        'p',
        null,
      ]);
      expect({} as Record<string, unknown>).not.toHaveProperty('p');
    });
  }
});
