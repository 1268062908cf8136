/**
 * The fast lane on the real server: positional batches of a read carry the same values as its row objects, a
 * write fed by them stores what a write of row objects stores, and the lane keeps the read's release and the
 * write modes' guarantees.
 */
import type { PositionalBatch, Row, RowBatchStream } from '@osiris/core';
import { createTypeZoo, zooCellText, zooServerText } from '@osiris/test-services';
import { beforeAll, describe, expect, test } from 'vitest';
import { collect, runningStatements, useDatabase } from './support.js';

/** The positional batches of a stream, each row turned into an object keyed by `columns()`. */
async function positionalRows(stream: RowBatchStream): Promise<Row[]> {
  const batches = stream.positional?.();
  if (batches === undefined) throw new Error('the stream offers no fast lane');
  const rows: PositionalBatch = [];
  for await (const batch of batches) rows.push(...batch);
  const names = (await stream.columns()).map((column) => column.name);
  return rows.map((values) => Object.fromEntries(names.map((name, c) => [name, values[c]])));
}

/** Rows with every value as its JS type and the zoo's cell spelling (a deep compare of large Buffers is slow). */
const cells = (rows: readonly Row[]) =>
  rows.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([name, value]) => [name, `${typeof value} ${zooCellText(value)}`]),
    ),
  );

describe('read(): positional() against row objects', () => {
  const { db, open } = useDatabase();

  beforeAll(async () => {
    await createTypeZoo(db().admin, db().database);
  });

  test('a table read of the type zoo: the same canonical value in every cell, in columns() order', async () => {
    const connection = await open();
    const objects = await collect(connection.read({ table: 'type_zoo', orderBy: 'id', batchSize: 3 }));
    const lane = connection.read({ table: 'type_zoo', orderBy: 'id', batchSize: 3 });
    const columns = await lane.columns();
    expect(columns.every((column) => column.type !== undefined)).toBe(true);
    const arrays = await positionalRows(lane);
    expect(arrays).toHaveLength(objects.length);
    expect(cells(arrays)).toEqual(cells(objects));
    expect(Object.keys(arrays[0] as Row)).toEqual(columns.map((column) => column.name));
  });

  test('a query read, in another session zone: the lane, plain iteration, and iteration after columns() agree', async () => {
    const connection = await open({ timezone: '+05:30' });
    const query = 'SELECT * FROM type_zoo ORDER BY id';
    const objects = await collect(connection.read({ query }));
    expect(cells(await positionalRows(connection.read({ query })))).toEqual(cells(objects));
    // Asking for a query's columns first sends it with array rows; iterating still yields row objects.
    const described = connection.read({ query });
    await described.columns();
    expect(cells(await collect(described))).toEqual(cells(objects));
  });

  test('values: text offers no lane (its values are not canonical); a read is consumed once either way', async () => {
    const connection = await open();
    expect(connection.read({ table: 'type_zoo', values: 'text' }).positional).toBeUndefined();
    const stream = connection.read({ table: 'type_zoo' });
    await positionalRows(stream);
    await expect(collect(stream)).rejects.toMatchObject({ code: 'STREAM_CONSUMED' });
  });

  test('a break out of positional() kills the statement and returns the connection to the pool', async () => {
    const connection = await open({ pool_size: 1, max_overflow: 0 });
    const stream = connection.read({
      query: 'SELECT seq AS lane_break FROM seq_1_to_10000000',
      batchSize: 10,
    });
    for await (const batch of stream.positional?.() ?? []) {
      expect(batch[0]).toEqual([1n]);
      break;
    }
    await expect.poll(() => runningStatements(db(), '%lane_break%'), { timeout: 5_000 }).toEqual([]);
    await expect.poll(() => connection.poolStats().busy, { timeout: 5_000 }).toBe(0);
    expect((await connection.query('SELECT 7 AS seven')).rows).toEqual([{ seven: 7 }]);
  });
});

describe('write(): rows from the lane against row objects', () => {
  const { db, open } = useDatabase();
  let expected: Array<Record<string, string | null>>;

  beforeAll(async () => {
    await createTypeZoo(db().admin, db().database);
    expected = await zooServerText(db().admin, db().database);
  });

  test('the type zoo: LOAD DATA from the lane and INSERT from row objects store identical cells', async () => {
    const connection = await open();
    await db().admin.query('CREATE TABLE zoo_lane LIKE type_zoo');
    await db().admin.query('CREATE TABLE zoo_objects LIKE type_zoo');
    const lane = await connection.write({
      table: 'zoo_lane',
      rows: connection.read({ table: 'type_zoo', orderBy: 'id', batchSize: 2 }),
    });
    expect(lane).toMatchObject({ method: 'load-data', fastLane: true, rowsWritten: expected.length });
    const rows = await collect(connection.read({ table: 'type_zoo', orderBy: 'id' }));
    const objects = await connection.write({ table: 'zoo_objects', rows: [rows], method: 'insert' });
    expect(objects).toMatchObject({ method: 'insert', fastLane: false, rowsWritten: expected.length });
    expect(await zooServerText(db().admin, db().database, 'zoo_lane')).toEqual(expected);
    expect(await zooServerText(db().admin, db().database, 'zoo_objects')).toEqual(expected);
  });

  test('upsert from the lane: INSERT … ON DUPLICATE KEY UPDATE of the arrays, re-runnable', async () => {
    const connection = await open();
    await db().admin.query('CREATE TABLE zoo_upsert LIKE type_zoo');
    const copy = () =>
      connection.write({
        table: 'zoo_upsert',
        mode: 'upsert',
        rows: connection.read({ table: 'type_zoo', orderBy: 'id', batchSize: 4 }),
      });
    expect(await copy()).toMatchObject({ method: 'insert', fastLane: true, rowsInserted: expected.length });
    expect(await copy()).toMatchObject({ rowsInserted: 0, rowsUpdated: expected.length });
    expect(await zooServerText(db().admin, db().database, 'zoo_upsert')).toEqual(expected);
  });

  /** A lane source of the table `numbers` in batches of 100 that calls `afterThird` after its third batch. */
  function failingSource(
    connection: Awaited<ReturnType<typeof open>>,
    afterThird: () => void,
  ): RowBatchStream {
    const source = connection.read({ table: 'numbers', orderBy: 'id', batchSize: 100 });
    return {
      columns: () => source.columns(),
      [Symbol.asyncIterator]: () => source[Symbol.asyncIterator](),
      async *positional() {
        let batches = 0;
        for await (const batch of source.positional?.() ?? []) {
          yield batch;
          batches += 1;
          if (batches === 3) afterThird();
        }
      },
    };
  }

  /** A connection of two (so a stuck one shows in poolStats) and `numbers`, 1..1000, to read from. */
  async function withNumbers() {
    const connection = await open({ pool_size: 2, max_overflow: 0 });
    await connection.query('CREATE TABLE IF NOT EXISTS numbers (id INT PRIMARY KEY)');
    await connection.query('INSERT IGNORE INTO numbers SELECT seq FROM seq_1_to_1000');
    return connection;
  }

  test.each(['append', 'replace'] as const)(
    '%s: a source failing in the middle of LOAD DATA leaves the table as it was, connections released',
    async (mode) => {
      const connection = await withNumbers();
      const table = `kept_${mode}`;
      await connection.query(`CREATE TABLE ${table} (id INT PRIMARY KEY)`);
      await connection.query(`INSERT INTO ${table} VALUES (-1), (-2)`);
      await expect(
        connection.write({
          table,
          mode,
          rows: failingSource(connection, () => {
            throw new Error('the source broke');
          }),
        }),
      ).rejects.toMatchObject({ details: expect.objectContaining({ committedRows: 0 }) });
      expect((await connection.query(`SELECT id FROM ${table} ORDER BY id`)).rows).toEqual([
        { id: -2 },
        { id: -1 },
      ]);
      const { rows: tables } = await connection.query(
        "SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME LIKE 'kept%osiris%'",
      );
      expect(tables).toEqual([{ n: 0n }]);
      await expect.poll(() => connection.poolStats().busy, { timeout: 5_000 }).toBe(0);
    },
  );

  test('append: an abort while the source stalls mid-LOAD DATA ends the write, rolled back; the source is released once it moves', async () => {
    const connection = await withNumbers();
    await connection.query('CREATE TABLE stalled_load (id INT PRIMARY KEY)');
    const controller = new AbortController();
    const source = connection.read({ table: 'numbers', orderBy: 'id', batchSize: 100 });
    let release: () => void = () => {};
    const stalled: RowBatchStream = {
      columns: () => source.columns(),
      [Symbol.asyncIterator]: () => source[Symbol.asyncIterator](),
      async *positional() {
        let batches = 0;
        for await (const batch of source.positional?.() ?? []) {
          yield batch;
          if (++batches === 2) {
            setTimeout(() => controller.abort(new Error('user pressed stop')), 100);
            // The source hangs until the test lets it go, after the write has answered.
            await new Promise<void>((resolve) => {
              release = resolve;
            });
          }
        }
      },
    };
    // Without the abort reaching the wait for the next batch, this write would wait for the source forever.
    await expect(
      connection.write({ table: 'stalled_load', rows: stalled, signal: controller.signal }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    expect((await connection.query('SELECT COUNT(*) AS n FROM stalled_load')).rows).toEqual([{ n: 0n }]);
    release();
    await expect.poll(() => connection.poolStats().busy, { timeout: 5_000 }).toBe(0);
  });

  test('append: an abort in the middle of LOAD DATA rolls the whole load back', async () => {
    const connection = await withNumbers();
    await connection.query('CREATE TABLE aborted_load (id INT PRIMARY KEY)');
    const controller = new AbortController();
    await expect(
      connection.write({
        table: 'aborted_load',
        rows: failingSource(connection, () => controller.abort(new Error('user pressed stop'))),
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    expect((await connection.query('SELECT COUNT(*) AS n FROM aborted_load')).rows).toEqual([{ n: 0n }]);
    await expect.poll(() => connection.poolStats().busy, { timeout: 5_000 }).toBe(0);
  });
});
