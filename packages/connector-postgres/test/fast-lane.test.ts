/**
 * The fast lane on the real server: positional batches in (from any source offering them) store the same
 * table as the same rows sent as objects, and read().positional() hands out the same values as the row
 * objects, with the same guarantees (a break cancels the COPY: test/query-read.test.ts runs it both ways).
 */
import { type CanonicalValue, type ColumnInfo, positionalStream } from '@osiris/core';
import { describe, expect, test } from 'vitest';
import { collect, runningStatements, useDatabase } from './support.js';

const { db, open } = useDatabase('osiris_pg_lane');

/** The columns of the edge rows, described as a typed source describes them. */
const COLUMNS: ColumnInfo[] = [
  { name: 'id', type: { kind: 'integer', bits: 32, unsigned: false }, nullable: false, primaryKey: true },
  { name: 'big', type: { kind: 'integer', bits: 64, unsigned: false } },
  { name: 'ubig', type: { kind: 'integer', bits: 64, unsigned: true } },
  { name: 'amount', type: { kind: 'decimal', precision: 30, scale: 10 } },
  { name: 'free', type: { kind: 'decimal' } },
  { name: 'f4', type: { kind: 'float', bits: 32 } },
  { name: 'f8', type: { kind: 'float', bits: 64 } },
  { name: 'flag', type: { kind: 'boolean' } },
  { name: 'label', type: { kind: 'string', maxLength: 10 } },
  { name: 'body', type: { kind: 'string' } },
  { name: 'day', type: { kind: 'date' } },
  { name: 'clock', type: { kind: 'time', precision: 6 } },
  { name: 'wall', type: { kind: 'datetime', precision: 6 } },
  { name: 'instant', type: { kind: 'timestamp', precision: 3 } },
  { name: 'blob', type: { kind: 'bytes' } },
  { name: 'doc', type: { kind: 'json' } },
  { name: 'size', type: { kind: 'enum', members: ['s', 'm', "l'x"] } },
];

const EVERY_BYTE = Buffer.from(Array.from({ length: 256 }, (_, index) => index));

/** Edge values of every column, row 3 all NULL; fresh arrays on each call (sinks convert batches in place). */
function edgeRows(): CanonicalValue[][] {
  return [
    [
      1,
      9223372036854775807n,
      18446744073709551615n,
      '-12345678901234567890.0123456789',
      '0.000000000000000000000000000001',
      Math.fround(3.4028234663852886e38),
      -0,
      true,
      '😀 emoji10',
      'tab\there\nline\\back\r\n"quoted" \\N',
      '9999-12-31',
      '24:00:00.000000',
      '0001-01-01T00:00:00.000000',
      '2038-01-19T03:14:07.999Z',
      EVERY_BYTE,
      '{"b": 1, "a": 1.50, "a": 12345678901234567890}',
      "l'x",
    ],
    [
      2,
      -9223372036854775808n,
      0n,
      '0.0000000000',
      '-0.5',
      Number.NaN,
      Number.NEGATIVE_INFINITY,
      false,
      '',
      '\\ \b\f\v\u0001 ends in a backslash \\',
      '1970-01-01',
      '00:00:00.000001',
      '2024-02-29T23:59:59.999999',
      '1970-01-01T00:00:00.000Z',
      Buffer.alloc(0),
      'null',
      's',
    ],
    [3, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null],
    [
      4,
      1n,
      1n,
      '1.0000000000',
      '123456789012345678901234567890.123456789',
      Number.POSITIVE_INFINITY,
      5e-324,
      true,
      'ten chars!',
      'ünïcödé \u{1F600}\u00A0\u2028 end',
      '2000-01-01',
      '12:34:56.789012',
      '9999-12-31T23:59:59.999999',
      '9999-12-31T23:59:59.999Z',
      Buffer.from([0, 92, 10, 9, 13]),
      '[1, "\\u0000", {"k": "\\t"}]',
      'm',
    ],
  ];
}

const names = COLUMNS.map((column) => column.name);
const asObject = (values: CanonicalValue[]) => Object.fromEntries(names.map((name, c) => [name, values[c]]));

/** Every row of a table as the server's own text of the whole record, by id. */
async function serverText(table: string): Promise<string[]> {
  const { rows } = await db().sql<{ t: string }>(`SELECT t::text AS t FROM "${table}" t ORDER BY id`);
  return rows.map((row) => row.t);
}

describe('fast lane', () => {
  test('a positional source and the same rows as objects store identical tables', async () => {
    const connection = await open();
    const lane = await connection.write({
      table: 'by_lane',
      rows: positionalStream(
        async () => COLUMNS,
        async function* () {
          const rows = edgeRows();
          yield rows.slice(0, 2);
          yield [];
          yield rows.slice(2);
        },
      ),
      createIfMissing: true,
    });
    const objects = await connection.write({
      table: 'by_objects',
      rows: [edgeRows().slice(0, 2).map(asObject), edgeRows().slice(2).map(asObject)],
      columns: COLUMNS,
      createIfMissing: true,
    });
    expect(lane).toMatchObject({ rowsWritten: 4, batches: 2, fastLane: true, method: 'copy' });
    expect(objects).toMatchObject({ rowsWritten: 4, batches: 2, fastLane: false });
    const stored = await serverText('by_lane');
    expect(stored).toHaveLength(4);
    expect(stored).toEqual(await serverText('by_objects'));
    // What the server holds, spelled by the server: the edges arrived as they were sent.
    const { rows } = await db().sql(
      `SELECT big::text, ubig::text, free::text, f4::text, f8::text, body, clock::text, encode(blob, 'hex') AS blob, doc::text
         FROM by_lane WHERE id = 1`,
    );
    expect(rows[0]).toEqual({
      big: '9223372036854775807',
      ubig: '18446744073709551615',
      free: '0.000000000000000000000000000001',
      f4: '3.4028235e+38',
      f8: '-0',
      body: 'tab\there\nline\\back\r\n"quoted" \\N',
      clock: '24:00:00',
      blob: EVERY_BYTE.toString('hex'),
      doc: '{"b": 1, "a": 1.50, "a": 12345678901234567890}',
    });
  });

  test('a value the table cannot hold is refused through the lane too, before anything is written', async () => {
    const connection = await open();
    const bad = edgeRows();
    (bad[3] as CanonicalValue[])[9] = 'nul \u0000 inside';
    const write = connection.write({
      table: 'by_lane',
      mode: 'replace',
      rows: positionalStream(
        async () => COLUMNS,
        async function* () {
          yield bad;
        },
      ),
    });
    await expect(write).rejects.toMatchObject({ code: 'VALUE_INVALID', details: { column: 'body', row: 4 } });
    expect(await serverText('by_lane')).toHaveLength(4);
  });

  test('read().positional() gives the row objects’ values in column order, and a table copy through it is identical', async () => {
    const connection = await open();
    const objects = await collect(connection.read({ table: 'by_lane', orderBy: 'id' }));
    const stream = connection.read({ table: 'by_lane', orderBy: 'id', batchSize: 3 });
    const columns = await stream.columns();
    expect(columns.map((column) => column.name)).toEqual(names);
    const arrays: CanonicalValue[][] = [];
    const sizes: number[] = [];
    for await (const batch of stream.positional?.() ?? []) {
      sizes.push(batch.length);
      arrays.push(...batch);
    }
    expect(sizes).toEqual([3, 1]);
    // The values sent come back (a created numeric(20,0) for the unsigned 64-bit column reads as decimal text).
    const ubig = names.indexOf('ubig');
    const sent = edgeRows().map((values) =>
      values.map((value, c) => (c === ubig && value !== null ? String(value) : value)),
    );
    expect(arrays).toEqual(sent);
    expect(arrays.map((values) => Object.fromEntries(names.map((name, c) => [name, values[c]])))).toEqual(
      objects,
    );
    // One stream, one pass: iterating it after positional() refuses.
    await expect(collect(stream)).rejects.toMatchObject({ code: 'STREAM_CONSUMED' });

    const copy = await connection.write({
      table: 'copied',
      rows: connection.read({ table: 'by_lane' }),
      createIfMissing: true,
    });
    expect(copy).toMatchObject({ rowsWritten: 4, fastLane: true });
    expect(await serverText('copied')).toEqual(await serverText('by_lane'));
  });

  test('a sink that stops early releases the lane source: its COPY is cancelled, its connection idle', async () => {
    const source = await open({ pool_size: 1 });
    const sink = await open();
    // smallint ends at 32767: row 32768 of the source is refused before its batch is sent.
    await db().sql('CREATE TABLE narrow (g smallint PRIMARY KEY)');
    const write = sink.write({
      table: 'narrow',
      rows: source.read({ query: 'SELECT g FROM generate_series(1, 2000000) g', batchSize: 1_000 }),
    });
    await expect(write).rejects.toMatchObject({
      code: 'VALUE_OUT_OF_RANGE',
      details: { column: 'g', row: 32768 },
    });
    await expect.poll(() => runningStatements(db(), 'COPY%'), { timeout: 5_000 }).toEqual([]);
    const stats = source.poolStats();
    expect(stats.total - stats.idle).toBe(0);
    expect((await db().sql('SELECT count(*)::int AS n FROM narrow')).rows[0]?.n).toBe(0);
  });
});
