import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BadLine } from '@osiris/connector-fs';
import { describe, expect, test } from 'vitest';
import { collect, readingBench } from './helpers/temp-dir.js';

const { base, conn, readBack } = await readingBench();

describe('JSON Lines write', () => {
  test('one object a line, keys in code-point order, missing keys as null, exact bigints, ISO dates', async () => {
    const result = await conn.write({
      path: 'out.jsonl',
      rows: [[{ b: 2n ** 63n - 1n, a: 'x' }, { c: new Date('2024-02-29T12:00:00Z') }], [{ a: 'y' }]],
    });
    expect(result).toMatchObject({ rowsWritten: 3, batches: 2, method: 'jsonl' });
    expect(await readFile(join(base, 'out.jsonl'), 'utf8')).toBe(
      '{"a":"x","b":9223372036854775807,"c":null}\n' +
        '{"a":null,"b":null,"c":"2024-02-29T12:00:00.000Z"}\n' +
        '{"a":"y","b":null,"c":null}\n',
    );
  });

  test('a bigint beyond the inferred integer(64) is refused before the file is touched; declared as decimal it is written exactly', async () => {
    const rows = [[{ big: 1n }], [{ big: 2n ** 70n }]];
    await expect(conn.write({ path: 'big.jsonl', rows })).rejects.toMatchObject({
      code: 'VALUE_OUT_OF_RANGE',
      details: { column: 'big', row: 2, type: 'integer(64)' },
    });
    await expect(readFile(join(base, 'big.jsonl'))).rejects.toMatchObject({ code: 'ENOENT' });
    await conn.write({ path: 'big.jsonl', rows, columns: [{ name: 'big', type: { kind: 'decimal' } }] });
    expect(await readFile(join(base, 'big.jsonl'), 'utf8')).toBe(
      '{"big":"1"}\n{"big":"1180591620717411303424"}\n',
    );
    expect(await collect(conn.read({ path: 'big.jsonl' }))).toEqual([
      { big: '1' },
      { big: '1180591620717411303424' },
    ]);
  });

  test('an unknown column in a later batch is SCHEMA_MISMATCH, unless ignored', async () => {
    const rows = [[{ a: 1 }], [{ a: 2, z: 3 }]];
    await expect(conn.write({ path: 'strict.jsonl', rows })).rejects.toMatchObject({
      code: 'SCHEMA_MISMATCH',
    });
    await conn.write({ path: 'strict.jsonl', rows, on_extra_columns: 'ignore' });
    expect(await readFile(join(base, 'strict.jsonl'), 'utf8')).toBe('{"a":1}\n{"a":2}\n');
  });

  test('.ndjson is JSON Lines too', async () => {
    await conn.write({ path: 'out.ndjson', rows: [[{ a: 1 }]] });
    expect(await collect(conn.read({ path: 'out.ndjson' }))).toEqual([{ a: 1n }]);
  });
});

describe('JSON Lines read', () => {
  test('rows back as written: unicode, integers beyond 2^53 as bigint, nested values as their JSON text', async () => {
    const rows = [
      {
        id: 9007199254740993n,
        tags: ['a', { deep: [1, null] }],
        text: 'é 😀 "q"\n',
        ok: true,
        n: 1.5,
        none: null,
      },
    ];
    await conn.write({ path: 'back.jsonl', rows: [rows], sort_columns: false });
    expect(await collect(conn.read({ path: 'back.jsonl' }))).toEqual([
      { ...rows[0], tags: '["a",{"deep":[1,null]}]' },
    ]);
    // Without the descriptor, the lines are plain JSON: the json column is a string holding its text.
    expect(await collect(conn.read({ path: 'back.jsonl', table_schema: false }))).toEqual([
      { ...rows[0], tags: '["a",{"deep":[1,null]}]' },
    ]);
  });

  test('BOM, CRLF, blank lines and a last line without newline', async () => {
    expect(await readBack('mixed.jsonl', '\ufeff{"a":1}\r\n\r\n  \n{"a":2}')).toEqual([{ a: 1 }, { a: 2 }]);
  });

  test('columns picks keys (a missing one is null); metadata is the first batch’s keys otherwise', async () => {
    const content = '{"a":1,"b":2}\n{"c":3}\n';
    expect(await readBack('cols.jsonl', content, { columns: ['c', 'a'] })).toEqual([
      { c: null, a: 1 },
      { c: 3, a: null },
    ]);
    expect(await conn.read({ path: 'cols.jsonl', batchSize: 1 }).columns()).toEqual([
      { name: 'a' },
      { name: 'b' },
    ]);
    expect(await conn.read({ path: 'cols.jsonl' }).columns()).toEqual([
      { name: 'a' },
      { name: 'b' },
      { name: 'c' },
    ]);
  });

  test('skip_rows, limit and batch sizes', async () => {
    const content = Array.from({ length: 25 }, (_, i) => JSON.stringify({ i })).join('\n');
    await writeFile(join(base, 'n.jsonl'), content);
    const sizes: number[] = [];
    const rows: unknown[] = [];
    for await (const batch of conn.read({ path: 'n.jsonl', skip_rows: 3, limit: 17, batchSize: 5 })) {
      sizes.push(batch.length);
      rows.push(...batch);
    }
    expect(sizes).toEqual([5, 5, 5, 2]);
    expect(rows[0]).toEqual({ i: 3 });
    expect(rows.at(-1)).toEqual({ i: 19 });
  });

  test('a line that is not a JSON object: BAD_LINE with its number, or skipped, or reported', async () => {
    const content = '{"a":1}\n{"a":\n[1,2]\n"text"\n{"a":2}\n';
    await expect(readBack('bad.jsonl', content)).rejects.toMatchObject({
      code: 'BAD_LINE',
      line: 2,
      file: 'bad.jsonl',
    });
    expect(await readBack('bad.jsonl', content, { on_bad_lines: 'skip' })).toEqual([{ a: 1 }, { a: 2 }]);
    const warnings: BadLine[] = [];
    await readBack('bad.jsonl', content, { on_bad_lines: 'warn', onWarning: (w) => warnings.push(w) });
    expect(warnings.map((warning) => warning.line)).toEqual([2, 3, 4]);
    expect(warnings[1]?.message).toMatch(/Expected a JSON object/);
  });

  test('an empty file: no rows, no columns', async () => {
    await writeFile(join(base, 'empty.jsonl'), '');
    const stream = conn.read({ path: 'empty.jsonl' });
    expect(await collect(stream)).toEqual([]);
    expect(await stream.columns()).toEqual([]);
  });
});
