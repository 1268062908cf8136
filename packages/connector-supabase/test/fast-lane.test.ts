/**
 * The fast lane on a real PostgREST: a source offering positional batches writes exactly the table its rows
 * as objects write (the type zoo, cell for cell in Postgres's own text), and keeps what the write guarantees —
 * checks before sending, NOT NULL, replace's keys, request sizes — with null meaning null.
 */
import {
  type CanonicalValue,
  type ColumnInfo,
  type PositionalBatch,
  positionalStream,
  type Row,
} from '@osiris/core';
import { describe, expect, test } from 'vitest';
import { failure, readAll, useSupabase } from './support.js';
import { int, nativeTypes, widened, ZOO, ZOO_ROWS } from './zoo.js';

const { service, connect, tables } = useSupabase();
const T = tables('lane_zoo', 'object_zoo', 'lane_copy', 'defaults', 'small', 'replaced');

/** Object rows as positional batches in the order of `columns` (fresh arrays: a sink may convert them in place). */
const positions = (columns: readonly ColumnInfo[], rows: readonly Row[]): PositionalBatch =>
  rows.map((row) => columns.map((column) => (row[column.name] ?? null) as CanonicalValue));

/** A source offering the fast lane, as another connector's read does; `released` is set when it is let go. */
function laneSource(columns: readonly ColumnInfo[], batches: readonly Row[][]) {
  const state = { released: false };
  const stream = positionalStream(
    async () => columns,
    async function* () {
      try {
        for (const batch of batches) yield positions(columns, batch);
      } finally {
        state.released = true;
      }
    },
  );
  return { stream, state };
}

/** Every row of `table` as Postgres's own JSON text of it, by id. */
const tableText = async (table: string) =>
  (
    await service().sql<{ r: string }>(
      `SELECT row_to_json(whole_row)::text AS r FROM ${table} whole_row ORDER BY id`,
    )
  ).rows.map((row) => row.r);

const count = async (table: string) =>
  Number((await service().sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);

describe('the same rows through the fast lane and as row objects', () => {
  test('the type zoo lands in identical created tables, cell for cell', async () => {
    const connection = await connect({ db_url: service().dbUrl });
    const batches = [ZOO_ROWS.slice(0, 1), ZOO_ROWS.slice(1)];
    const lane = await connection.write({
      table: T.lane_zoo,
      rows: laneSource(ZOO, batches).stream,
      createIfMissing: true,
    });
    const objects = await connection.write({
      table: T.object_zoo,
      rows: batches,
      columns: ZOO,
      createIfMissing: true,
    });
    expect(lane).toMatchObject({ rowsWritten: 3, batches: 2, fastLane: true });
    expect(objects).toMatchObject({ rowsWritten: 3, batches: 2, fastLane: false });
    expect(await nativeTypes(service(), T.lane_zoo)).toEqual(await nativeTypes(service(), T.object_zoo));
    const text = await tableText(T.lane_zoo);
    expect(text).toHaveLength(3);
    expect(text).toEqual(await tableText(T.object_zoo));
    expect(await readAll(connection.read({ table: T.lane_zoo, orderBy: 'id' }))).toEqual(
      ZOO_ROWS.map(widened),
    );
  });

  test("a Supabase read's own columns and values, offered positionally, fill a table made LIKE it through the API alone", async () => {
    const connection = await connect();
    await service().sql(`CREATE TABLE ${T.lane_copy} (LIKE ${T.lane_zoo} INCLUDING ALL)`);
    await service().reloadSchema();
    const read = connection.read({ table: T.lane_zoo, orderBy: 'id' });
    const columns = await read.columns();
    const result = await connection.write({
      table: T.lane_copy,
      rows: laneSource(columns, [await readAll(read)]).stream,
    });
    expect(result).toMatchObject({ rowsWritten: 3, fastLane: true });
    expect(await tableText(T.lane_copy)).toEqual(await tableText(T.lane_zoo));
  });
});

describe('null and defaults', () => {
  const columns: ColumnInfo[] = [
    { name: 'id', type: int(32) },
    { name: 'score', type: int(32) },
    { name: 'note', type: { kind: 'string' } },
  ];

  test('in the lane null is null; a key a row object leaves out takes the column default; a column not written takes its default', async () => {
    await service().sql(
      `CREATE TABLE ${T.defaults} (id int PRIMARY KEY, status text NOT NULL DEFAULT 'new', score int DEFAULT 7, note text)`,
    );
    await service().reloadSchema();
    const connection = await connect();
    const lane = laneSource(columns, [[{ id: 1, score: null, note: null }]]);
    expect(await connection.write({ table: T.defaults, rows: lane.stream })).toMatchObject({
      fastLane: true,
    });
    await connection.write({
      table: T.defaults,
      rows: [
        [
          { id: 2, note: 'x' },
          { id: 3, score: null },
        ],
      ],
    });
    const { rows } = await service().sql(`SELECT * FROM ${T.defaults} ORDER BY id`);
    expect(rows).toEqual([
      { id: 1, status: 'new', score: null, note: null },
      { id: 2, status: 'new', score: 7, note: 'x' },
      { id: 3, status: 'new', score: null, note: null },
    ]);
  });

  test('a null in the lane for a NOT NULL column with a default is refused, not defaulted; the source is released', async () => {
    const connection = await connect();
    const described: ColumnInfo[] = [columns[0]!, { name: 'status', type: { kind: 'string' } }];
    const lane = laneSource(described, [
      [
        { id: 10, status: 'a' },
        { id: 11, status: null },
      ],
    ]);
    const error = await failure(connection.write({ table: T.defaults, rows: lane.stream }));
    expect(error).toMatchObject({ code: 'VALUE_INVALID', details: { row: 2, column: 'status' } });
    expect(await count(`${T.defaults} WHERE id >= 10`)).toBe(0);
    expect(lane.state.released).toBe(true);
  });

  test('a source offering positional batches without a type for every column is written from its row objects', async () => {
    const connection = await connect();
    const untyped: ColumnInfo[] = [{ name: 'id', type: int(32) }, { name: 'score' }, { name: 'note' }];
    const source = laneSource(untyped, [
      [{ id: 21, score: 3, note: 'kept' }],
      [{ id: 22, score: null, note: 'x' }],
    ]);
    const result = await connection.write({ table: T.defaults, rows: source.stream });
    expect(result).toMatchObject({ rowsWritten: 2, batches: 2, fastLane: false });
    const { rows } = await service().sql(
      `SELECT id, score, note FROM ${T.defaults} WHERE id > 20 ORDER BY id`,
    );
    expect(rows).toEqual([
      { id: 21, score: 3, note: 'kept' },
      { id: 22, score: null, note: 'x' },
    ]);
  });
});

describe('checks and guarantees in the lane', () => {
  test('a described type wider than the column is checked: the value that does not fit is refused before sending', async () => {
    await service().sql(`CREATE TABLE ${T.small} (id int PRIMARY KEY, n smallint)`);
    await service().reloadSchema();
    const connection = await connect();
    const described: ColumnInfo[] = [
      { name: 'id', type: int(32) },
      { name: 'n', type: int(64) },
    ];
    const rows = Array.from({ length: 5 }, (_, i) => ({ id: i + 1, n: i === 3 ? 40_000n : BigInt(i) }));
    const error = await failure(
      connection.write({ table: T.small, rows: laneSource(described, [rows]).stream }),
    );
    expect(error).toMatchObject({ code: 'VALUE_OUT_OF_RANGE', details: { row: 4, column: 'n' } });
    expect(await count(T.small)).toBe(0);
  });

  test('replace through the lane: requests of batch_size rows, the keys written kept, every other row deleted', async () => {
    await service().sql(`CREATE TABLE ${T.replaced} (id bigint PRIMARY KEY, v text)`);
    await service().sql(`INSERT INTO ${T.replaced} SELECT g, 'old' FROM generate_series(1, 2000) g`);
    await service().reloadSchema();
    const connection = await connect({ batch_size: 100 });
    const described: ColumnInfo[] = [
      { name: 'id', type: int(64) },
      { name: 'v', type: { kind: 'string' } },
    ];
    const fresh = (from: number) =>
      Array.from({ length: 700 }, (_, i) => ({ id: BigInt(from + i), v: 'new' }));
    const result = await connection.write({
      table: T.replaced,
      mode: 'replace',
      rows: laneSource(described, [fresh(601), fresh(1301)]).stream,
    });
    expect(result).toMatchObject({ rowsWritten: 1400, batches: 14, rowsDeleted: 600, fastLane: true });
    const { rows } = await service().sql<{ first: string; last: string; n: string; fresh: string }>(
      `SELECT min(id) AS first, max(id) AS last, count(*) AS n, count(*) FILTER (WHERE v = 'new') AS fresh FROM ${T.replaced}`,
    );
    expect(rows[0]).toEqual({ first: '601', last: '2000', n: '1400', fresh: '1400' });
  });
});
