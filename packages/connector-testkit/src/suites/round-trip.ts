import assert from 'node:assert/strict';
import type { ColumnInfo, Connection, Row, WriteProgress, WriteRequestBase } from '@osiris/core';
import { singleAlias } from '../support/single-alias.js';
import type { SuiteContext } from '../types.js';

/**
 * How a connector takes part in the round-trip suite: write batches, read them back, compare. The
 * suite connects with `workingConfig` (resolved by core's real resolver), once per test.
 */
export interface RoundTripOptions {
  /** Ways to write and read back, by name (`csv`, `jsonl`; `insert`, `upsert`…); each runs every test. */
  variants: Readonly<Record<string, RoundTripVariant>>;
  /**
   * Proves that a read left early (`break`) or aborted released what it held (file handle closed,
   * pooled connection returned), and throws when it did not. Runs after the suite's own proof that a
   * second read and `close()` still go through.
   */
  assertReleased?: (context: RoundTripContext) => void | Promise<void>;
  /** Rows in the many-batches test (default 2,500). */
  manyRows?: number;
}

/** One way of writing and reading back. */
export interface RoundTripVariant {
  /** Makes a fresh, empty target for one test and says how requests name it. */
  target: (context: RoundTripTargetContext) => RoundTripTarget | Promise<RoundTripTarget>;
  /** What a written value reads back as (CSV reads text, MySQL booleans read as 1/0); default unchanged. */
  normalize?: (value: unknown, column: string) => unknown;
}

/** What `RoundTripVariant.target` is told. */
export interface RoundTripTargetContext {
  /** The connection the test writes and reads with. */
  connection: Connection;
  /** A name unique to the test: lowercase letters, digits and `_`, usable as a file or table name. */
  name: string;
  /** The columns of the rows, with portable types: `integer`, `text`, `double`, `boolean`, `timestamp`. */
  columns: readonly ColumnInfo[];
}

/** A target the suite writes to and reads from. */
export interface RoundTripTarget {
  /** Fields added to every write request (`{ path: 'x.csv' }`, `{ table: 'x' }`). */
  write: Record<string, unknown>;
  /** Fields added to every read request. */
  read: Record<string, unknown>;
  /** Removes the target after the test, pass or fail. */
  cleanup?: () => void | Promise<void>;
}

/** What `RoundTripOptions.assertReleased` is told. */
export interface RoundTripContext extends RoundTripTargetContext {
  /** The target that was read. */
  target: RoundTripTarget;
}

/** The columns of the suite's rows. */
export const ROUND_TRIP_COLUMNS: readonly ColumnInfo[] = [
  { name: 'id', type: { kind: 'integer', bits: 64, unsigned: false }, nullable: false, primaryKey: true },
  { name: 'name', type: { kind: 'string' }, nullable: false },
  { name: 'score', type: { kind: 'float', bits: 64 }, nullable: false },
  { name: 'active', type: { kind: 'boolean' }, nullable: false },
  { name: 'created_at', type: { kind: 'timestamp', precision: 3 }, nullable: false },
  { name: 'note', type: { kind: 'string' }, nullable: true },
];

/** Text that trips up naive writers and readers: delimiters, quotes, line breaks, edge spaces, non-ASCII. */
const NAMES = [
  'plain',
  'comma, inside',
  'say "hi"',
  'two\nlines',
  ' leading and trailing ',
  'e\u0301 combining, 😀 emoji',
  "O'Brien; semi|pipe\ttab",
];

/** `count` rows with ids 1…count; values every connector can store exactly (scores are multiples of 1/4). */
export function roundTripRows(count: number): Row[] {
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    name: NAMES[i % NAMES.length],
    score: i * 0.25 - 3,
    active: i % 2 === 0,
    created_at: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000),
    note: i % 3 === 0 ? null : `note ${i}`,
  }));
}

const LONG_TEST_MS = 120_000;

export function roundTripSuite(context: SuiteContext): void {
  const options = context.roundTrip;
  if (options === undefined) return;
  const { describe, test } = context.test;
  const { plugin } = context;

  /** Opens a connection and a fresh target, runs `body`, then removes the target and closes. */
  async function withTarget(
    variantName: string,
    body: (session: RoundTripContext, variant: RoundTripVariant) => Promise<void>,
  ): Promise<void> {
    const variant = options!.variants[variantName]!;
    const written = await context.workingConfig?.();
    assert.ok(written !== undefined, 'Pass workingConfig so the round-trip suite can connect');
    const { resolver, reference } = singleAlias(plugin, written);
    const { config, alias } = resolver.resolve(reference);
    const connection = await plugin.connect(config, { reference, alias });
    const name = `rt_${variantName}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
      .toLowerCase()
      .replace(/[^a-z0-9_]/g, '_');
    const targetContext = { connection, name, columns: ROUND_TRIP_COLUMNS };
    const target = await variant.target(targetContext);
    try {
      await body({ ...targetContext, target }, variant);
    } finally {
      try {
        await target.cleanup?.();
      } finally {
        await connection.close();
      }
    }
  }

  describe('round trip', () => {
    for (const variantName of Object.keys(options.variants)) {
      test(`${variantName}: batches written are read back as equal rows`, () =>
        withTarget(variantName, async (session, variant) => {
          const rows = roundTripRows(12);
          const progress: WriteProgress[] = [];
          const result = await write(session, [rows.slice(0, 1), rows.slice(1, 3), rows.slice(3)], {
            onProgress: (event) => progress.push(event),
          });
          assert.equal(result.rowsWritten, rows.length, 'rowsWritten counts every row');
          assert.equal(result.batches, 3, 'batches counts every batch');
          assert.deepEqual(
            progress.map((event) => [event.batches, event.rows]),
            [
              [1, 1],
              [2, 3],
              [3, 12],
            ],
            'onProgress is called after each batch with running totals',
          );
          assert.deepEqual(await readAll(session, 5), expected(rows, variant));
        }));

      test(`${variantName}: a read names the written columns`, () =>
        withTarget(variantName, async (session) => {
          await write(session, [roundTripRows(3)]);
          const stream = read(session, 2);
          const iterator = stream[Symbol.asyncIterator]();
          try {
            await iterator.next();
            const names = (await stream.columns()).map((column) => column.name);
            for (const column of ROUND_TRIP_COLUMNS) {
              assert.ok(
                names.includes(column.name),
                `columns() names ${column.name} (got ${names.join(', ')})`,
              );
            }
          } finally {
            await iterator.return?.();
          }
        }));

      test(
        `${variantName}: many rows stream through in several batches`,
        () =>
          withTarget(variantName, async (session, variant) => {
            const count = options.manyRows ?? 2_500;
            const rows = roundTripRows(count);
            async function* batchesOf500() {
              for (let start = 0; start < count; start += 500) yield rows.slice(start, start + 500);
            }
            const result = await write(session, batchesOf500());
            assert.equal(result.rowsWritten, count);
            let batches = 0;
            const back: Row[] = [];
            for await (const batch of read(session, 100)) {
              batches++;
              back.push(...batch);
            }
            assert.ok(batches > 1, `a read of ${count} rows with batchSize 100 came in ${batches} batch(es)`);
            assert.deepEqual(sortById(back), expected(rows, variant));
          }),
        LONG_TEST_MS,
      );

      test(`${variantName}: an empty source writes no rows and reads back none`, () =>
        withTarget(variantName, async (session) => {
          const result = await write(session, []);
          assert.equal(result.rowsWritten, 0);
          assert.deepEqual(await readAll(session, 10), []);
        }));

      test(
        `${variantName}: leaving a read early releases it`,
        () =>
          withTarget(variantName, async (session, variant) => {
            const rows = roundTripRows(1_000);
            await write(session, [rows]);
            for await (const batch of read(session, 10)) {
              assert.ok(batch.length > 0);
              break;
            }
            // A leaked handle or pooled connection shows as a hang here (or in close()).
            assert.deepEqual(await readAll(session, 250), expected(rows, variant));
            await options.assertReleased?.(session);
          }),
        LONG_TEST_MS,
      );

      test(
        `${variantName}: an aborted read stops with an error and releases it`,
        () =>
          withTarget(variantName, async (session) => {
            await write(session, [roundTripRows(1_000)]);
            const controller = new AbortController();
            const iterator = read(session, 10, controller.signal)[Symbol.asyncIterator]();
            assert.equal((await iterator.next()).done, false);
            controller.abort();
            await assert.rejects(async () => {
              for (let step = await iterator.next(); !step.done; step = await iterator.next());
            }, 'reading on after abort() throws');
            await options.assertReleased?.(session);
          }),
        LONG_TEST_MS,
      );
    }
  });
}

function write(
  session: RoundTripContext,
  rows: WriteRequestBase['rows'],
  extra: Partial<WriteRequestBase> = {},
) {
  const connection = session.connection;
  assert.ok(connection.write, 'the connection has write()');
  return connection.write({ ...session.target.write, rows, columns: ROUND_TRIP_COLUMNS, ...extra });
}

function read(session: RoundTripContext, batchSize: number, signal?: AbortSignal) {
  const connection = session.connection;
  assert.ok(connection.read, 'the connection has read()');
  return connection.read({ ...session.target.read, batchSize, signal });
}

async function readAll(session: RoundTripContext, batchSize: number): Promise<Row[]> {
  const rows: Row[] = [];
  for await (const batch of read(session, batchSize)) rows.push(...batch);
  return sortById(rows);
}

/** Rows as the variant reads them back, in id order. */
function expected(rows: readonly Row[], variant: RoundTripVariant): Row[] {
  const normalize = variant.normalize ?? ((value: unknown) => value);
  return sortById(
    rows.map((row) =>
      Object.fromEntries(Object.entries(row).map(([key, value]) => [key, normalize(value, key)])),
    ),
  );
}

/** Sorted by numeric id: a database may return rows in any order. */
function sortById(rows: Row[]): Row[] {
  return [...rows].sort((a, b) => Number(a.id) - Number(b.id));
}
