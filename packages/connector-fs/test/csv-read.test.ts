import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { BadLine } from '@osiris/connector-fs';
import { describe, expect, test } from 'vitest';
import { collect, openPaths, readingBench } from './helpers/temp-dir.js';

const { base, conn, readBack } = await readingBench();

const people = 'id,name,city\n1,Ann,Brno\n2,Bob,\n3,"Cy, Jr.","New\nYork"\n';

describe('CSV read: what comes back', () => {
  test('rows as objects of strings; empty fields as null; quoted fields with delimiters and line breaks intact', async () => {
    expect(await readBack('people.csv', people)).toEqual([
      { id: '1', name: 'Ann', city: 'Brno' },
      { id: '2', name: 'Bob', city: null },
      { id: '3', name: 'Cy, Jr.', city: 'New\nYork' },
    ]);
  });

  test('columns: a subset in the requested order; an unknown one is COLUMN_NOT_FOUND listing what there is', async () => {
    expect(await readBack('people.csv', people, { columns: ['city', 'id'] })).toEqual([
      { city: 'Brno', id: '1' },
      { city: null, id: '2' },
      { city: 'New\nYork', id: '3' },
    ]);
    const error = await collect(conn.read({ path: 'people.csv', columns: ['town'] })).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({ code: 'COLUMN_NOT_FOUND', category: 'not_found' });
    expect((error as Error).message).toContain('id, name, city');
  });

  test('column metadata without a descriptor: names in file order, string, nullable; known before iterating, without keeping the file open', async () => {
    await writeFile(join(base, 'meta.csv'), people);
    const stream = conn.read({ path: 'meta.csv' });
    const text = { kind: 'string' };
    expect(await stream.columns()).toEqual([
      { name: 'id', type: text, nullable: true },
      { name: 'name', type: text, nullable: true },
      { name: 'city', type: text, nullable: true },
    ]);
    expect((await openPaths()).filter((path) => path.endsWith('meta.csv'))).toEqual([]);
    expect(await collect(stream)).toHaveLength(3);
    const without = conn.read({ path: 'meta.csv', null_values: [], columns: ['name'] });
    expect(await without.columns()).toEqual([{ name: 'name', type: text, nullable: false }]);
  });

  test('skip_rows skips lines before the header; limit stops after that many rows', async () => {
    const content = `exported 2024-01-01\n\n${people}`;
    expect(await readBack('skip.csv', content, { skip_rows: 2, limit: 2 })).toEqual([
      { id: '1', name: 'Ann', city: 'Brno' },
      { id: '2', name: 'Bob', city: null },
    ]);
    expect(await readBack('skip.csv', content, { skip_rows: 2, limit: 0 })).toEqual([]);
  });

  test('delimiter, and null_values replacing the default', async () => {
    const content = 'a;b;c\nNA;;x\n';
    expect(await readBack('semi.csv', content, { delimiter: ';', null_values: ['NA'] })).toEqual([
      { a: null, b: '', c: 'x' },
    ]);
    expect(await readBack('tab.tsv', 'a\tb\n1\t2\n', { delimiter: '\t', format: 'csv' })).toEqual([
      { a: '1', b: '2' },
    ]);
  });

  test('UTF-8 with and without BOM, UTF-16LE with BOM, latin1: the same rows, no BOM in the first name', async () => {
    const expected = [{ název: 'Žluťoučký kůň', n: '1' }];
    const utf8 = 'název,n\nŽluťoučký kůň,1\n';
    expect(await readBack('plain.csv', utf8)).toEqual(expected);
    expect(await readBack('bom.csv', `\ufeff${utf8}`)).toEqual(expected);
    expect(
      await readBack('utf16.csv', Buffer.from(`\ufeff${utf8}`, 'utf16le'), { encoding: 'utf-16le' }),
    ).toEqual(expected);
    expect(
      await readBack('latin1.csv', Buffer.from('café,n\ncrème,1\n', 'latin1'), { encoding: 'latin1' }),
    ).toEqual([{ café: 'crème', n: '1' }]);
  });

  test('CRLF line ends and a last line without one', async () => {
    expect(await readBack('crlf.csv', 'a,b\r\n1,2\r\n3,4')).toEqual([
      { a: '1', b: '2' },
      { a: '3', b: '4' },
    ]);
  });

  test('header: false names the columns column_1, column_2…', async () => {
    expect(await readBack('noheader.csv', '1,2\n3,4\n', { header: false })).toEqual([
      { column_1: '1', column_2: '2' },
      { column_1: '3', column_2: '4' },
    ]);
  });

  test('an empty file has no rows and no columns; a header alone has columns and no rows', async () => {
    await writeFile(join(base, 'empty.csv'), '');
    const empty = conn.read({ path: 'empty.csv' });
    expect(await collect(empty)).toEqual([]);
    expect(await empty.columns()).toEqual([]);
    await writeFile(join(base, 'header-only.csv'), 'a,b\n');
    const headerOnly = conn.read({ path: 'header-only.csv' });
    expect(await collect(headerOnly)).toEqual([]);
    expect((await headerOnly.columns()).map((column) => column.name)).toEqual(['a', 'b']);
  });

  test('batches hold batchSize rows, the last one the rest', async () => {
    const content = `n\n${Array.from({ length: 2345 }, (_, i) => i).join('\n')}\n`;
    await writeFile(join(base, 'batches.csv'), content);
    const sizes: number[] = [];
    for await (const batch of conn.read({ path: 'batches.csv', batchSize: 500 })) sizes.push(batch.length);
    expect(sizes).toEqual([500, 500, 500, 500, 345]);
  });
});

describe('CSV read: problems', () => {
  const ragged = 'a,b\n1,2\n3\n4,5\n6,7,8\n9,10\n';

  test("on_bad_lines: 'error' (default) is BAD_LINE with the file and line number, after the good rows before it", async () => {
    await writeFile(join(base, 'ragged.csv'), ragged);
    const seen: unknown[] = [];
    const error = await (async () => {
      for await (const batch of conn.read({ path: 'ragged.csv', batchSize: 1 })) seen.push(...batch);
    })().catch((e: unknown) => e);
    expect(error).toMatchObject({ code: 'BAD_LINE', category: 'config', file: 'ragged.csv', line: 3 });
    expect((error as Error).message).toMatch(/^ragged\.csv:3: /);
    expect(seen).toEqual([{ a: '1', b: '2' }]);
  });

  test("on_bad_lines: 'skip' goes on without them; 'warn' also reports each with its line number", async () => {
    expect(await readBack('ragged.csv', ragged, { on_bad_lines: 'skip' })).toEqual([
      { a: '1', b: '2' },
      { a: '4', b: '5' },
      { a: '9', b: '10' },
    ]);
    const warnings: BadLine[] = [];
    const rows = await readBack('ragged.csv', ragged, {
      on_bad_lines: 'warn',
      onWarning: (w) => warnings.push(w),
    });
    expect(rows).toHaveLength(3);
    expect(warnings.map(({ path, line }) => [path, line])).toEqual([
      ['ragged.csv', 3],
      ['ragged.csv', 5],
    ]);
    expect(warnings[0]?.message).toMatch(/expect 2, got 1/);
  });

  test("on_bad_lines: 'warn' without onWarning emits a process warning", async () => {
    const warnings: Error[] = [];
    const listener = (warning: Error) => warnings.push(warning);
    process.on('warning', listener);
    try {
      await readBack('ragged.csv', ragged, { on_bad_lines: 'warn' });
      await new Promise((resolve) => setTimeout(resolve, 10));
    } finally {
      process.off('warning', listener);
    }
    expect(warnings.map((warning) => warning.message)).toEqual([
      expect.stringMatching(/^ragged\.csv:3: .*line skipped/),
      expect.stringMatching(/^ragged\.csv:5: /),
    ]);
  });

  test('a bad last line, which the parser sees only at the end of the file, is BAD_LINE too (it was dropped silently)', async () => {
    for (const content of ['a,b\n1,2\n3\n', 'a,b\n1,2\n3']) {
      await expect(readBack('last.csv', content)).rejects.toMatchObject({ code: 'BAD_LINE', line: 3 });
    }
  });

  test('a quote inside an unquoted field is BAD_LINE too, also after a byte-order mark', async () => {
    for (const content of ['a,b\nx"y,1\n', '\ufeffa,b\n1,2\nx"y,1\n']) {
      await expect(readBack('inner-quote.csv', content)).rejects.toMatchObject({ code: 'BAD_LINE' });
    }
  });

  test('a broken quote is BAD_LINE at its line (skipping past one cannot be trusted: see the README)', async () => {
    await expect(readBack('quote.csv', 'a,b\n1,2\n"3"x,4\n5,6\n')).rejects.toMatchObject({
      code: 'BAD_LINE',
      line: 3,
    });
  });

  test('a header naming a column twice is DUPLICATE_COLUMN', async () => {
    await expect(readBack('dup.csv', 'a,a\n1,2\n')).rejects.toMatchObject({
      code: 'DUPLICATE_COLUMN',
      line: 1,
    });
  });

  test('a missing file is FILE_NOT_FOUND (not_found), from iteration and from columns()', async () => {
    await expect(collect(conn.read({ path: 'nope.csv' }))).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
      category: 'not_found',
      file: 'nope.csv',
    });
    await expect(conn.read({ path: 'nope.csv' }).columns()).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });

  test('a bad request fails at once, before any file is opened', () => {
    expect(() => conn.read({ path: 'people.csv', limit: -1 })).toThrow(
      expect.objectContaining({ code: 'REQUEST_INVALID' }),
    );
    expect(() => conn.read({ path: 'people.csv', on_bad_lines: 'ignore' as never })).toThrow(/on_bad_lines/);
  });

  test('an abort ends the read with AbortError and closes the file', async () => {
    await writeFile(join(base, 'long.csv'), `n\n${'1\n'.repeat(50_000)}`);
    const controller = new AbortController();
    const error = await (async () => {
      for await (const _ of conn.read({ path: 'long.csv', batchSize: 100, signal: controller.signal }))
        controller.abort();
    })().catch((e: unknown) => e);
    expect((error as Error).name).toBe('AbortError');
    expect((await openPaths()).filter((path) => path.endsWith('long.csv'))).toEqual([]);
  });
});
