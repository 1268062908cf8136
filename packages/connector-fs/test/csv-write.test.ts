import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { type FsConnection, TEMP_SUFFIX } from '@osiris/connector-fs';
import type { Row } from '@osiris/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { connect, tempDir } from './helpers/temp-dir.js';

let base: string;
let conn: FsConnection;
beforeAll(async () => {
  base = await tempDir();
  conn = await connect({ base_dir: base });
});

const text = (path: string) => readFile(join(base, path), 'utf8');
const tempFiles = async () => (await readdir(base)).filter((name) => name.endsWith(TEMP_SUFFIX));

describe('CSV write: the column set', () => {
  test('comes from the keys of the first batch, in code-point order; a missing key is written as null', async () => {
    await conn.write({ path: 'first-batch.csv', rows: [[{ b: 1, a: 'x' }, { c: true }], [{ a: 'y' }]] });
    expect(await text('first-batch.csv')).toBe('a,b,c\nx,1,\n,,true\ny,,\n');
  });

  test('declared columns fix it, and give a header even without rows', async () => {
    const columns = [{ name: 'id' }, { name: 'name' }];
    await conn.write({ path: 'declared.csv', rows: [[{ id: 1 }]], columns, sort_columns: false });
    expect(await text('declared.csv')).toBe('id,name\n1,\n');
    await conn.write({ path: 'declared-empty.csv', rows: [], columns });
    expect(await text('declared-empty.csv')).toBe('id,name\n');
  });

  test('a source that knows its columns (a RowBatchStream) supplies them, in their order with sort_columns: false', async () => {
    await writeFile(join(base, 'source.csv'), 'z,y\n1,\n2,b\n');
    await conn.write({
      path: 'copy.csv',
      rows: conn.read({ path: 'source.csv', null_values: [] }),
      sort_columns: 'false',
    });
    expect(await text('copy.csv')).toBe('z,y\n1,""\n2,b\n');
  });

  test('no rows and no known columns give an empty file', async () => {
    const result = await conn.write({ path: 'nothing.csv', rows: [] });
    expect(result).toMatchObject({ rowsWritten: 0, batches: 0 });
    expect(await text('nothing.csv')).toBe('');
  });

  test('a later row with an unknown column is SCHEMA_MISMATCH, naming column and row; the old file stays', async () => {
    await writeFile(join(base, 'strict.csv'), 'old\n');
    const error = await conn
      .write({ path: 'strict.csv', rows: [[{ a: 1 }], [{ a: 2 }, { a: 3, extra: 'x' }]] })
      .catch((caught: unknown) => caught);
    expect(error).toMatchObject({
      code: 'SCHEMA_MISMATCH',
      category: 'config',
      details: { column: 'extra', row: 3 },
    });
    expect((error as Error).message).toContain('"extra"');
    expect((error as { hint: string }).hint).toContain("on_extra_columns: 'ignore'");
    expect(await text('strict.csv')).toBe('old\n');
    expect(await tempFiles()).toEqual([]);
  });

  test("on_extra_columns: 'ignore' drops unknown columns", async () => {
    await conn.write({
      path: 'lenient.csv',
      rows: [[{ a: 1 }], [{ a: 2, extra: 'x' }]],
      on_extra_columns: 'ignore',
    });
    expect(await text('lenient.csv')).toBe('a\n1\n2\n');
  });
});

describe('CSV write: options', () => {
  test('header: false, delimiter, CRLF, null_value and quoting from the request override the config', async () => {
    const own = await connect({ base_dir: base, delimiter: '|', quoting: 'all' });
    await own.write({
      path: 'opts.csv',
      rows: [[{ a: null, b: 'x|y' }]],
      header: false,
      newline: 'crlf',
      null_value: 'NULL',
    });
    expect(await text('opts.csv')).toBe('NULL|"x|y"\r\n');
  });

  test('a delimiter that numbers contain (.) still gives a file that parses: such numbers are quoted', async () => {
    await conn.write({ path: 'dot.csv', rows: [[{ a: 1.5, b: 2 }]], delimiter: '.' });
    expect(await text('dot.csv')).toBe('a.b\n"1.5".2\n');
    await conn.write({
      path: 'dot-read.csv',
      rows: conn.read({ path: 'dot.csv', delimiter: '.' }),
      delimiter: ';',
    });
    expect(await text('dot-read.csv')).toBe('a;b\n1.5;2\n');
  });

  test('utf-16le and latin1 files are written in that encoding and read back', async () => {
    const rows = [{ name: 'crème brûlée', n: 1 }];
    for (const encoding of ['utf-16le', 'latin1'] as const) {
      await conn.write({ path: `${encoding}.csv`, rows: [rows], encoding });
      const bytes = await readFile(join(base, `${encoding}.csv`));
      expect(bytes.toString(encoding === 'utf-16le' ? 'utf16le' : 'latin1')).toBe('n,name\n1,crème brûlée\n');
      const back: Row[] = [];
      for await (const batch of conn.read({ path: `${encoding}.csv`, encoding })) back.push(...batch);
      expect(back).toEqual([{ n: 1n, name: 'crème brûlée' }]);
    }
  });

  test('invalid requests are REQUEST_INVALID naming the option', async () => {
    const attempts: Array<[Record<string, unknown>, RegExp]> = [
      [{ path: 'x.csv', delimter: ';' }, /delimter/],
      [{ path: 'x.csv', delimiter: ';;' }, /delimiter/],
      [{ path: 'x.csv', quoting: 'some' }, /quoting/],
      [{ path: 'x.txt' }, /format/],
      [{ path: 'x.csv', date_format: '%Q' }, /%Q/],
      [{ path: 'x.csv', timezone: 'Mars/Olympus' }, /Mars\/Olympus/],
      [{ path: 'x.csv', null_value: 'a,b' }, /null_value/],
    ];
    for (const [request, message] of attempts) {
      const error = await conn
        .write({ rows: [[{ a: 1 }]], ...request } as never)
        .catch((caught: unknown) => caught);
      expect(error, JSON.stringify(request)).toMatchObject({ code: 'REQUEST_INVALID', category: 'config' });
      expect((error as Error).message).toMatch(message);
    }
    expect(await stat(join(base, 'x.csv')).catch(() => 'absent')).toBe('absent');
  });

  test('values JSON cannot hold are VALUE_INVALID naming row and column; so is a batch that is no array', async () => {
    const circular: Record<string, unknown> = {};
    circular.self = circular;
    for (const value of [() => 1, Symbol('s'), circular]) {
      await expect(conn.write({ path: 'bad.csv', rows: [[{ value }]] })).rejects.toMatchObject({
        code: 'VALUE_INVALID',
        category: 'config',
        details: { column: 'value', row: 1, type: 'json' },
      });
    }
    await expect(conn.write({ path: 'bad.csv', rows: [{ not: 'a batch' }] as never })).rejects.toMatchObject({
      code: 'VALUE_INVALID',
    });
    expect(await tempFiles()).toEqual([]);
  });
});

describe('CSV write: streaming', () => {
  test('reports progress after every batch and says what it wrote', async () => {
    const progress: Array<[number, number]> = [];
    const result = await conn.write({
      path: 'progress.csv',
      rows: [[{ a: 1 }, { a: 2 }], [{ a: 3 }], [{ a: 4 }, { a: 5 }, { a: 6 }]],
      onProgress: ({ batches, rows, elapsedMs }) => {
        expect(elapsedMs).toBeGreaterThanOrEqual(0);
        progress.push([batches, rows]);
      },
    });
    expect(progress).toEqual([
      [1, 2],
      [2, 3],
      [3, 6],
    ]);
    expect(result).toMatchObject({ rowsWritten: 6, batches: 3, method: 'csv' });
  });

  test('backpressure: the next batch is pulled only once the previous one is on disk', async () => {
    const batchText = (k: number) => Array.from({ length: 1000 }, (_, i) => `${k},${'x'.repeat(90)}${i}\n`);
    const onDiskWhenPulled: number[] = [];
    const expectedOnDisk: number[] = [];
    let written = 'k,v\n'.length;
    async function* batches() {
      for (let k = 0; k < 12; k++) {
        const temp = (await tempFiles())[0];
        onDiskWhenPulled.push(temp === undefined ? 0 : (await stat(join(base, temp))).size);
        if (k > 0) written += batchText(k - 1).join('').length;
        expectedOnDisk.push(k === 0 ? 0 : written);
        yield batchText(k).map((line) => ({ k, v: line.slice(line.indexOf(',') + 1, -1) }));
      }
    }
    await conn.write({ path: 'backpressure.csv', rows: batches() });
    expect(onDiskWhenPulled).toEqual(expectedOnDisk);
  });

  test('an abort stops the write at the next batch; the old file stays, no temp file', async () => {
    await writeFile(join(base, 'abort.csv'), 'old\n');
    const controller = new AbortController();
    async function* endless() {
      for (let k = 0; ; k++) {
        if (k === 3) controller.abort();
        await setImmediate();
        yield [{ k }];
      }
    }
    const error = await conn
      .write({ path: 'abort.csv', rows: endless(), signal: controller.signal })
      .catch((e) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(await text('abort.csv')).toBe('old\n');
    expect(await tempFiles()).toEqual([]);
  });
});
