/**
 * The round-trip suite and its options: rows of canonical values (`roundTripRows`, typed by
 * `ROUND_TRIP_COLUMNS`) written in batches through each variant and read back exactly, described and
 * canonical; and the release check after a read left early, which the fast-lane suites share.
 */
import assert from 'node:assert/strict';
import type { ColumnInfo, Connection, Row, WriteProgress } from '@osiris/core';
import { assertDescribed, assertReadBack } from '../support/read-back.js';
import { read, readBack, sortById, withTarget, write } from '../support/round-trip-session.js';
import type { SuiteContext } from '../types.js';

/**
 * How a connector takes part in the round-trip and fast-lane suites: write batches, read them back, compare.
 * The suites connect with `workingConfig` (resolved by core's real resolver), once per test.
 */
export interface RoundTripOptions {
  /** Ways to write and read back, by name (`csv`, `jsonl`; `insert`, `upsert`…); each runs every test. */
  variants: Readonly<Record<string, RoundTripVariant>>;
  /**
   * Proves that a read left early (`break`) or aborted, as row batches or through `positional()`, released what it held (file handle closed,
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
  /**
   * An explicit opt-out of the typed checks, for a target that does not keep the written types: what a written
   * value reads back as (a CSV without descriptor reads text; MySQL, which has no boolean, reads TINYINT(1) as
   * 1/0). Without it the variant is typed: every column reads back with a logical type, each value exactly the
   * written one (spelled as the read's type where the target's column has other bounds of the same kind).
   */
  normalize?: (value: unknown, column: string) => unknown;
}

/** What `RoundTripVariant.target` is told. */
export interface RoundTripTargetContext {
  /** The connection the test writes and reads with. */
  connection: Connection;
  /** A name unique to the test: lowercase letters, digits and `_`, usable as a file or table name. */
  name: string;
  /** The columns of the rows, each with its logical type (`ROUND_TRIP_COLUMNS`). */
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

/**
 * `count` rows with ids 1…count, each value the canonical value of its column's logical type (an integer(64) id
 * is a bigint, a timestamp(3) its `…T…:SS.mmmZ` text); values every connector can store exactly (scores are
 * multiples of 1/4).
 */
export function roundTripRows(count: number): Row[] {
  return Array.from({ length: count }, (_, i) => ({
    id: BigInt(i + 1),
    name: NAMES[i % NAMES.length],
    score: i * 0.25 - 3,
    active: i % 2 === 0,
    created_at: new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString(),
    note: i % 3 === 0 ? null : `note ${i}`,
  }));
}

const LONG_TEST_MS = 120_000;

export function roundTripSuite(context: SuiteContext): void {
  const options = context.roundTrip;
  if (options === undefined) return;
  const { describe, test } = context.test;
  const suite = { ...context, roundTrip: options };

  describe('round trip', () => {
    for (const variantName of Object.keys(options.variants)) {
      test(`${variantName}: batches written are read back as equal rows`, () =>
        withTarget(suite, variantName, async (target, variant) => {
          const rows = roundTripRows(12);
          const progress: WriteProgress[] = [];
          const result = await write(target, [rows.slice(0, 1), rows.slice(1, 3), rows.slice(3)], {
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
          assertReadBack(rows, await readBack(target, 5), variant);
        }));

      test(`${variantName}: a read describes each written column with a logical type and holds its canonical values`, () =>
        withTarget(suite, variantName, async (target, variant) => {
          await write(target, [roundTripRows(12)]);
          assertDescribed(await readBack(target, 5), variant.normalize === undefined);
        }));

      test(
        `${variantName}: many rows stream through in several batches`,
        () =>
          withTarget(suite, variantName, async (target, variant) => {
            const count = options.manyRows ?? 2_500;
            const rows = roundTripRows(count);
            async function* batchesOf500() {
              for (let start = 0; start < count; start += 500) yield rows.slice(start, start + 500);
            }
            const result = await write(target, batchesOf500());
            assert.equal(result.rowsWritten, count);
            let batches = 0;
            const back: Row[] = [];
            const stream = read(target, 100);
            for await (const batch of stream) {
              batches++;
              back.push(...batch);
            }
            assert.ok(batches > 1, `a read of ${count} rows with batchSize 100 came in ${batches} batch(es)`);
            assertReadBack(rows, { rows: sortById(back), columns: await stream.columns() }, variant);
          }),
        LONG_TEST_MS,
      );

      test(`${variantName}: an empty source writes no rows and reads back none`, () =>
        withTarget(suite, variantName, async (target) => {
          const result = await write(target, []);
          assert.equal(result.rowsWritten, 0);
          assert.deepEqual((await readBack(target, 10)).rows, []);
        }));

      test(
        `${variantName}: leaving a read early releases it`,
        () =>
          withTarget(suite, variantName, async (target, variant) => {
            const rows = roundTripRows(1_000);
            await write(target, [rows]);
            for await (const batch of read(target, 10)) {
              assert.ok(batch.length > 0);
              break;
            }
            await assertReleasedAfter('break out of the row batches', target, variant, rows, options);
          }),
        LONG_TEST_MS,
      );

      test(
        `${variantName}: an aborted read stops with an error and releases it`,
        () =>
          withTarget(suite, variantName, async (target) => {
            await write(target, [roundTripRows(1_000)]);
            const controller = new AbortController();
            const iterator = read(target, 10, controller.signal)[Symbol.asyncIterator]();
            assert.equal((await iterator.next()).done, false);
            controller.abort();
            await assert.rejects(async () => {
              for (let step = await iterator.next(); !step.done; step = await iterator.next());
            }, 'reading on after abort() throws');
            await options.assertReleased?.(target);
          }),
        LONG_TEST_MS,
      );
    }
  });
}

/**
 * The release check after a read was left early (`how`): a second read of every row goes through (a leaked
 * handle or pooled connection shows as a hang here or in `close()`), then the connector's `assertReleased`.
 */
export async function assertReleasedAfter(
  how: string,
  target: RoundTripContext,
  variant: RoundTripVariant,
  rows: readonly Row[],
  options: RoundTripOptions,
): Promise<void> {
  assertReadBack(rows, await readBack(target, 250), variant);
  try {
    await options.assertReleased?.(target);
  } catch (error) {
    assert.fail(
      `After a ${how}, the read still holds what it opened (assertReleased: ${error instanceof Error ? error.message : String(error)}). Release it when the iterator's return() is called — a generator's finally block`,
    );
  }
}
