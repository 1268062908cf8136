import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { type PositionalBatch, positionalStream, type Row } from '@osiris/core';
import { describe, expect, test } from 'vitest';
import { collect, connect, openPaths, tempDir } from './helpers/temp-dir.js';
import { COLUMNS, describedSource, zooRows } from './helpers/type-zoo.js';

const base = await tempDir();
const conn = await connect({ base_dir: base, sort_columns: false });
const sorted = await connect({ base_dir: base });
const int32 = { kind: 'integer', bits: 32, unsigned: false } as const;

/** The zoo rows as positional batches in COLUMNS order, as a third-party source would produce them. */
function zooBatches(): PositionalBatch[] {
  const arrays = zooRows().map((row) => COLUMNS.map((column) => row[column.name] ?? null)) as PositionalBatch;
  return [arrays.slice(0, 4), arrays.slice(4)];
}

/** Every cell of `lane` (arrays) is the cell of `objects` under its column: Object.is for numbers (-0, NaN). */
function expectSameValues(lane: PositionalBatch, objects: Row[], names: readonly string[]): void {
  expect(lane).toHaveLength(objects.length);
  lane.forEach((values, r) => {
    expect(values).toHaveLength(names.length);
    names.forEach((name, c) => {
      const [a, b] = [values[c], objects[r]![name]];
      if (typeof a === 'number') expect(Object.is(a, b), `${name} of row ${r + 1}`).toBe(true);
      else expect(a, `${name} of row ${r + 1}`).toEqual(b);
    });
  });
}

const bytes = (path: string) => readFile(join(base, path));

describe('the fast lane of connector-fs', () => {
  for (const format of ['csv', 'jsonl'] as const) {
    test(`${format}: positional() gives the very values iteration gives, for every logical type and edge value`, async () => {
      const path = `zoo.${format}`;
      await conn.write({ path, rows: describedSource(zooRows()) });
      const lane = await collect(conn.read({ path }).positional());
      const objects = await collect(conn.read({ path }));
      const columns = await conn.read({ path }).columns();
      expect(columns.every((column) => column.type !== undefined)).toBe(true);
      expectSameValues(
        lane,
        objects,
        columns.map((column) => column.name),
      );
    });

    for (const [layout, files] of [
      ['as found', conn],
      ['sorted', sorted],
    ] as const) {
      test(`${format}, columns ${layout}: a write from a positional source gives the same bytes and descriptor as from row objects`, async () => {
        const source = `zoo.${format}`;
        await conn.write({ path: source, rows: describedSource(zooRows()) });
        const fromObjects = await files.write({
          path: `objects.${format}`,
          rows: [zooRows()],
          columns: COLUMNS,
        });
        const fromFile = await files.write({ path: `lane.${format}`, rows: files.read({ path: source }) });
        const fromBatches = await files.write({
          path: `third-party.${format}`,
          rows: positionalStream(
            async () => COLUMNS,
            async function* () {
              yield* zooBatches();
            },
          ),
        });
        expect([fromObjects.fastLane, fromFile.fastLane, fromBatches.fastLane]).toEqual([false, true, true]);
        expect(fromFile.rowsWritten).toBe(zooRows().length);
        for (const path of [`lane.${format}`, `third-party.${format}`]) {
          expect((await bytes(path)).equals(await bytes(`objects.${format}`)), path).toBe(true);
          expect(await readFile(join(base, `${path}.schema.json`), 'utf8')).toBe(
            await readFile(join(base, `objects.${format}.schema.json`), 'utf8'),
          );
        }
      });
    }
  }

  test('declared columns pick and order the positional values of a source', async () => {
    await conn.write({ path: 'pick-source.csv', rows: describedSource(zooRows()) });
    const result = await conn.write({
      path: 'picked.csv',
      rows: conn.read({ path: 'pick-source.csv' }),
      columns: [{ name: 'text' }, { name: 'id' }],
    });
    expect(result.fastLane).toBe(true);
    const text = await readFile(join(base, 'picked.csv'), 'utf8');
    expect(text.split('\n').slice(0, 2)).toEqual(['text,id', '"O\'Brien, ""quoted"", comma",1']);
  });

  test('a CSV without a descriptor is in the lane too: columns of strings, null apart from the empty string', async () => {
    await writeFile(join(base, 'plain.csv'), 'a,b\n1,\n"",x\n');
    const stream = conn.read({ path: 'plain.csv', table_schema: false });
    expect(await collect(stream.positional())).toEqual([
      ['1', null],
      ['', 'x'],
    ]);
    expect((await stream.columns()).map((column) => column.type)).toEqual([
      { kind: 'string' },
      { kind: 'string' },
    ]);
  });

  test('JSON Lines without types has no lane: positional() refuses, and a write takes its row objects', async () => {
    await writeFile(join(base, 'plain.jsonl'), '{"a":1,"b":"x"}\n{"a":2.5}\n');
    const refused = collect(conn.read({ path: 'plain.jsonl' }).positional());
    await expect(refused).rejects.toMatchObject({ code: 'REQUEST_INVALID' });
    const result = await conn.write({ path: 'from-plain.jsonl', rows: conn.read({ path: 'plain.jsonl' }) });
    expect(result.fastLane).toBe(false);
    expect(await readFile(join(base, 'from-plain.jsonl'), 'utf8')).toBe(
      '{"a":1,"b":"x"}\n{"a":2.5,"b":null}\n',
    );
  });

  test('a bad line in the lane: the rows before it first, then BAD_LINE with the line; skip goes on', async () => {
    await writeFile(join(base, 'bad.csv'), 'n\n1\nx\n3\n');
    const columns = [{ name: 'n', type: int32 }];
    const got: PositionalBatch = [];
    const failed = (async () => {
      for await (const batch of conn.read({ path: 'bad.csv', columns, batchSize: 1 }).positional())
        got.push(...batch);
    })();
    await expect(failed).rejects.toMatchObject({ code: 'BAD_LINE', line: 3 });
    expect(got).toEqual([[1]]);
    const skipped = conn.read({ path: 'bad.csv', columns, on_bad_lines: 'skip' });
    expect(await collect(skipped.positional())).toEqual([[1], [3]]);
  });

  test('leaving the lane early (break) closes the file; an abort ends it with AbortError', async () => {
    await conn.write({ path: 'long.csv', rows: [Array.from({ length: 5000 }, (_, i) => ({ i }))] });
    const file = join(base, 'long.csv');
    for await (const batch of conn.read({ path: 'long.csv', batchSize: 10 }).positional()) {
      expect(batch).toHaveLength(10);
      expect(await openPaths()).toContain(file);
      break;
    }
    expect(await openPaths()).not.toContain(file);
    const controller = new AbortController();
    const aborted = (async () => {
      for await (const _ of conn
        .read({ path: 'long.csv', batchSize: 10, signal: controller.signal })
        .positional())
        controller.abort();
    })();
    await expect(aborted).rejects.toMatchObject({ name: 'AbortError' });
    expect(await openPaths()).not.toContain(file);
  });
});
