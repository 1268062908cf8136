/**
 * The fast-lane suites, on the round-trip variants: a source's `positional()` gives the rows of its row-object
 * iteration as described canonical values in `columns()` order and releases what the read held on `break` and
 * on abort;
 * a sink fed by a positional source (core's `positionalStream`) stores what it stores for the same rows as
 * objects and reports `fastLane: true`. Either half may be skipped while a connector has no lane for it; the
 * skip is then proven to hold (a lane that exists is never left untested).
 */
import assert from 'node:assert/strict';
import {
  type CanonicalValue,
  type ColumnInfo,
  type PositionalBatch,
  positionalStream,
  type Row,
  type RowBatchStream,
} from '@osiris/core';
import { bounded } from '../support/bounded.js';
import { sameValue, show, undescribed } from '../support/canonical-values.js';
import { assertCanonical, assertReadBack, assertSameRows } from '../support/read-back.js';
import { type ReadBack, read, readBack, withTarget, write } from '../support/round-trip-session.js';
import type { SuiteContext } from '../types.js';
import {
  assertReleasedAfter,
  ROUND_TRIP_COLUMNS,
  type RoundTripContext,
  type RoundTripOptions,
  type RoundTripVariant,
  roundTripRows,
} from './round-trip.js';

const LONG_TEST_MS = 120_000;
/** Rows of the source tests: enough for several batches of 100. */
const LANE_ROWS = 1_000;
/** How long `columns()` may take before the lane is iterated (a sink's `sinkInput` waits for it first). */
const COLUMNS_WITHIN_MS = 10_000;
const SOURCE_GROUP = 'fast lane: source';
const SINK_GROUP = 'fast lane: sink';

/** What a half registers for one variant: `test`, and `session` to open a fresh target of that variant. */
interface VariantTests {
  test: SuiteContext['test']['test'];
  session: (body: Parameters<typeof withTarget>[2]) => Promise<void>;
  options: RoundTripOptions;
  variantName: string;
  /** The variant itself (how its values read back). */
  variant: RoundTripVariant;
}

/** Registers `register`'s tests for every round-trip variant, in a group named `group` (none without `roundTrip`). */
function perVariant(context: SuiteContext, group: string, register: (variant: VariantTests) => void): void {
  const options = context.roundTrip;
  if (options === undefined) return;
  const suite = { ...context, roundTrip: options };
  context.test.describe(group, () => {
    for (const [variantName, variant] of Object.entries(options.variants)) {
      register({
        test: context.test.test,
        session: (body) => withTarget(suite, variantName, body),
        options,
        variantName,
        variant,
      });
    }
  });
}

/** The source half: `positional()` against the row objects of the same read, and its release on `break`. */
export function fastLaneSourceSuite(context: SuiteContext): void {
  perVariant(context, SOURCE_GROUP, ({ test, session, options, variantName }) => {
    test(
      `${variantName}: positional() gives the rows of the row-object iteration, described, canonical, in columns() order`,
      () =>
        session(async (target) => {
          await write(target, [roundTripRows(LANE_ROWS)]);
          const objects = await readBack(target, 100);
          const { columns, lane } = await openLane(target, 100);
          const values: PositionalBatch = [];
          for await (const batch of lane) values.push(...batch);
          assertLaneMatches(columns, values, objects.columns, objects.rows);
        }),
      LONG_TEST_MS,
    );

    test(
      `${variantName}: leaving positional() early releases the read`,
      () =>
        session(async (target, variant) => {
          const rows = roundTripRows(LANE_ROWS);
          await write(target, [rows]);
          const { lane } = await openLane(target, 10);
          for await (const batch of lane) {
            assert.ok(batch.length > 0, 'positional() yields no empty batch');
            break;
          }
          await assertReleasedAfter('break out of positional()', target, variant, rows, options);
        }),
      LONG_TEST_MS,
    );

    test(
      `${variantName}: an aborted positional() stops with an error and releases the read`,
      () =>
        session(async (target, variant) => {
          const rows = roundTripRows(LANE_ROWS);
          await write(target, [rows]);
          const controller = new AbortController();
          const iterator = (await openLane(target, 10, controller.signal)).lane[Symbol.asyncIterator]();
          assert.equal((await iterator.next()).done, false, 'positional() yields a first batch');
          controller.abort();
          await assert.rejects(async () => {
            for (let step = await iterator.next(); !step.done; step = await iterator.next());
          }, "positional() goes on after the read request's signal aborted: a lane stops with an error as the row batches do");
          await assertReleasedAfter('an aborted positional()', target, variant, rows, options);
        }),
      LONG_TEST_MS,
    );
  });
}

/** The sink half: rows from a positional source against the same rows as objects. */
export function fastLaneSinkSuite(context: SuiteContext): void {
  perVariant(context, SINK_GROUP, ({ test, session, variantName, variant }) => {
    test(
      `${variantName}: rows from a positional source read back as the same rows written as objects, through the lane`,
      async () => {
        const rows = roundTripRows(12);
        let throughLane: ReadBack = { rows: [], columns: [] };
        let asObjects: Row[] = [];
        await session(async (target) => {
          // No declared columns: the sink negotiates them with the stream, as in `sink.write({ rows: source.read() })`.
          const result = await write(target, laneSource(rows), {}, false);
          assert.equal(result.rowsWritten, rows.length, 'rowsWritten counts every row of the lane');
          assert.equal(result.batches, 3, 'batches counts every positional batch');
          if (result.fastLane !== true) {
            assert.fail(
              `WriteResult.fastLane is ${String(result.fastLane)} for rows from a source that offers positional(): a sink calls core's sinkInput(request) inside write(), writes input.batches and reports fastLane: input.fastLane (while it has no lane: skip: ['fast-lane-sink'] with the reason)`,
            );
          }
          throughLane = await readBack(target, 5);
        });
        await session(async (target) => {
          const result = await write(target, [rows.slice(0, 1), rows.slice(1, 3), rows.slice(3)]);
          assert.notEqual(
            result.fastLane,
            true,
            'WriteResult.fastLane is true for row objects, which offer no lane',
          );
          asObjects = (await readBack(target, 5)).rows;
        });
        assertSameRows(
          'Rows written through the fast lane read back differently from the same rows written as objects',
          { label: 'through the lane', rows: throughLane.rows },
          { label: 'as objects', rows: asObjects },
        );
        // Both alike could still both be wrong (when the round-trip suite is skipped).
        assertReadBack(rows, throughLane, variant);
      },
      LONG_TEST_MS,
    );
  });
}

/** In place of the source half when skipped: proves the read offers no `positional()`. */
export function fastLaneSourceSkipped(context: SuiteContext): void {
  perVariant(context, SOURCE_GROUP, ({ test, session, variantName }) => {
    test(`${variantName}: skipped, which holds while the read offers no positional()`, () =>
      session(async (target) => {
        await write(target, [roundTripRows(3)]);
        const stream = read(target, 10);
        const offered = typeof stream.positional === 'function';
        for await (const _ of stream);
        if (offered) {
          assert.fail(
            "The read offers positional() now: take 'fast-lane-source' out of skip, so the suite proves the lane gives the rows of the row-object iteration and releases on break",
          );
        }
      }));
  });
}

/** In place of the sink half when skipped: proves the sink does not report taking the lane. */
export function fastLaneSinkSkipped(context: SuiteContext): void {
  perVariant(context, SINK_GROUP, ({ test, session, variantName }) => {
    test(`${variantName}: skipped, which holds while the sink does not take the lane`, () =>
      session(async (target) => {
        const result = await write(target, laneSource(roundTripRows(3)), {}, false);
        if (result.fastLane === true) {
          assert.fail(
            "The sink takes the fast lane now (WriteResult.fastLane is true): take 'fast-lane-sink' out of skip, so the suite proves it stores what it stores for the same rows as objects",
          );
        }
      }));
  });
}

/** A fast-lane source of `rows` in three batches (1, 2, the rest), every value canonical, columns described. */
function laneSource(rows: readonly Row[]): RowBatchStream {
  const names = ROUND_TRIP_COLUMNS.map((column) => column.name);
  return positionalStream(
    async () => ROUND_TRIP_COLUMNS,
    async function* () {
      for (const batch of [rows.slice(0, 1), rows.slice(1, 3), rows.slice(3)]) {
        // Fresh arrays each time: a sink may convert a batch in place.
        yield batch.map((row) => names.map((name) => (row[name] ?? null) as CanonicalValue));
      }
    },
  );
}

/** A read's lane, its columns asked first as core's `sinkInput` asks them. */
async function openLane(target: RoundTripContext, batchSize: number, signal?: AbortSignal) {
  const stream = read(target, batchSize, signal);
  if (typeof stream.positional !== 'function') {
    assert.fail(
      "The read offers no positional(): a source without a fast lane skips this suite (skip: ['fast-lane-source'] with the reason); one with a lane builds its stream with core's positionalStream",
    );
  }
  const columns = await bounded(
    stream.columns(),
    COLUMNS_WITHIN_MS,
    `columns() did not resolve within ${COLUMNS_WITHIN_MS} ms before positional() was iterated: core's sinkInput asks a fast-lane source for its columns first, so the source must answer before its first batch is asked for`,
  );
  return { columns, lane: stream.positional() };
}

/** Asserts that positional `values` (described by `columns`) are the row objects `rows` (described by `objectColumns`). */
function assertLaneMatches(
  columns: readonly ColumnInfo[],
  values: PositionalBatch,
  objectColumns: readonly ColumnInfo[],
  rows: readonly Row[],
): void {
  const missing = undescribed(columns);
  if (missing !== undefined) assert.fail(`positional() is offered, but ${missing}`);
  const names = columns.map((column) => column.name);
  assert.deepEqual(
    names,
    objectColumns.map((column) => column.name),
    'columns() of a read with positional() names the columns of the same read iterated as row objects',
  );
  values.forEach((row, index) => {
    if (row.length !== names.length) {
      assert.fail(
        `Positional row ${index + 1} has ${row.length} values for the ${names.length} columns of columns() (${names.join(', ')}): a positional row holds one value per column, in columns() order — none dropped, none added`,
      );
    }
  });
  if (values.length !== rows.length) {
    assert.fail(
      `positional() gave ${values.length} rows, the row-object iteration of the same read ${rows.length}`,
    );
  }
  const id = names.indexOf('id');
  const byId = [...values].sort((a, b) => Number(a[id]) - Number(b[id]));
  byId.forEach((row, index) => {
    const object = rows[index] as Row;
    names.forEach((name, at) => {
      if (sameValue(row[at], object[name])) return;
      const looksLike = names.find((other) => other !== name && sameValue(row[at], object[other]));
      assert.fail(
        `Positional row of id ${show(object.id)}, position ${at} (column ${name}): ${show(row[at])}, where the row object of the same read holds ${show(object[name])}${looksLike === undefined ? '' : ` — the value of column ${looksLike}`}. positional() gives each row's values in columns() order`,
      );
    });
  });
  assertCanonical(
    columns,
    byId.map((row) => (name: string) => row[names.indexOf(name)]),
    'positional()',
  );
}
