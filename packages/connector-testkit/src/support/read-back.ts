/**
 * The round-trip suites' verdicts on what a read gave back: the written rows (what a typed target reads back
 * for them, or what the variant's `normalize` says), the same rows from two reads, and a read's columns
 * described with logical types holding canonical values. Each failure names row, column, types and values.
 */
import assert from 'node:assert/strict';
import {
  type ColumnInfo,
  canonicalizer,
  describeType,
  type LogicalType,
  type Row,
  ValueProblem,
} from '@osiris/core';
import { ROUND_TRIP_COLUMNS, type RoundTripVariant } from '../suites/round-trip.js';
import { canonicalCheck, sameValue, show, undescribed } from './canonical-values.js';
import { type ReadBack, sortById } from './round-trip-session.js';

const WRITTEN_TYPES = new Map(ROUND_TRIP_COLUMNS.map((column) => [column.name, column.type as LogicalType]));

/**
 * Asserts that `back` holds `written` as the variant reads it back. A typed variant (no `normalize`) reads each
 * value back exactly — spelled as the read's own type where the target's column is of the same kind with other
 * bounds (an integer(64) in an integer(32) column, a timestamp(3) read as timestamp(6)); a value that type cannot
 * hold, or a column of another kind, fails.
 */
export function assertReadBack(written: readonly Row[], back: ReadBack, variant: RoundTripVariant): void {
  const expected =
    variant.normalize === undefined
      ? typedExpectation(written, back.columns)
      : normalized(written, variant.normalize);
  const difference = firstDifference(sortById(expected), back.rows);
  if (difference !== undefined) assert.fail(`Read back differs from what was written: ${difference}`);
}

/** Asserts that two reads gave the same rows: `what` heads the failure, `a` and `b` label each read in it. */
export function assertSameRows(
  what: string,
  a: { label: string; rows: readonly Row[] },
  b: { label: string; rows: readonly Row[] },
): void {
  const difference = firstDifference(sortById(a.rows), sortById(b.rows), [a.label, b.label]);
  if (difference !== undefined) assert.fail(`${what}: ${difference}`);
}

/**
 * Asserts that the read names every written column, each described with a logical type (unless `typed` is
 * false: an untyped target's columns may carry none), and that every value is canonical for its column's type.
 */
export function assertDescribed(back: ReadBack, typed: boolean): void {
  const names = back.columns.map((column) => column.name);
  for (const column of ROUND_TRIP_COLUMNS) {
    assert.ok(names.includes(column.name), `columns() names ${column.name} (got ${names.join(', ')})`);
  }
  if (typed) {
    const missing = undescribed(back.columns);
    if (missing !== undefined)
      assert.fail(`${missing} (an untyped target, such as a CSV without descriptor, passes normalize)`);
  }
  assertCanonical(
    back.columns,
    back.rows.map((row) => (name: string) => row[name]),
  );
}

/**
 * Asserts that every value of `rows` (each a lookup by column name) is canonical for its column's described type,
 * and that no column described as NOT NULL holds null. `where` says where a row came from, for the message.
 */
export function assertCanonical(
  columns: readonly ColumnInfo[],
  rows: ReadonlyArray<(name: string) => unknown>,
  where = 'the read',
): void {
  const checks = columns.flatMap((column) =>
    column.type === undefined ? [] : [{ column, check: canonicalCheck(column.type) }],
  );
  const notNull = columns.filter((column) => column.nullable === false);
  rows.forEach((cell, index) => {
    for (const column of notNull) {
      if (cell(column.name) === null || cell(column.name) === undefined) {
        assert.fail(
          `Row ${index + 1} of ${where} (id ${show(cell('id'))}) holds null in column ${column.name}, which columns() describes as NOT NULL (nullable: false): a sink creating a table from these columns would refuse the row`,
        );
      }
    }
    for (const { column, check } of checks) {
      const problem = check(cell(column.name));
      if (problem !== undefined) {
        assert.fail(
          `Row ${index + 1} of ${where} (id ${show(cell('id'))}), column ${column.name} described as ${describeType(column.type!)}: ${problem}. A source gives the canonical value of each column's logical type (core's README, "The data contract")`,
        );
      }
    }
  });
}

function normalized(written: readonly Row[], normalize: NonNullable<RoundTripVariant['normalize']>): Row[] {
  return written.map((row) =>
    Object.fromEntries(Object.entries(row).map(([key, value]) => [key, normalize(value, key)])),
  );
}

/** The written rows as a typed read describing `columns` gives them back (see `assertReadBack`). */
function typedExpectation(written: readonly Row[], columns: readonly ColumnInfo[]): Row[] {
  const readTypes = new Map(columns.map((column) => [column.name, column.type]));
  const converters = new Map(
    [...WRITTEN_TYPES].map(([name, type]) => {
      const readType = readTypes.get(name);
      if (readType === undefined) {
        assert.fail(
          `Column ${name} reads back with no logical type: a typed target describes every column it reads; an untyped one (a CSV without descriptor) says what its values read back as with the variant's normalize`,
        );
      }
      if (readType.kind !== type.kind) {
        assert.fail(
          `Column ${name} was written as ${describeType(type)} and reads back as ${describeType(readType)}: a typed target keeps each column's kind. A target whose types have no ${type.kind} (MySQL, for one, stores a boolean as TINYINT(1)) says what it reads back as with the variant's normalize`,
        );
      }
      return [name, { convert: canonicalizer(readType), readType, type }] as const;
    }),
  );
  return written.map((row) =>
    Object.fromEntries(
      Object.entries(row).map(([name, value]) => {
        const column = converters.get(name);
        if (column === undefined) return [name, value];
        try {
          return [name, column.convert(value)];
        } catch (error) {
          if (!(error instanceof ValueProblem)) throw error;
          return assert.fail(
            `Row id ${show(row.id)}, column ${name}: the written ${show(value)} (${describeType(column.type)}) cannot be a value of the ${describeType(column.readType)} the read describes — it ${error.reason}, so the target did not keep it`,
          );
        }
      }),
    ),
  );
}

/** The first way `actual` differs from `expected` (both in id order), or undefined when they are the same rows. */
function firstDifference(
  expected: readonly Row[],
  actual: readonly Row[],
  [expectedLabel, actualLabel] = ['expected back', 'read back'],
): string | undefined {
  if (expected.length !== actual.length)
    return `${expectedLabel} ${expected.length} rows, ${actualLabel} ${actual.length}`;
  for (let i = 0; i < expected.length; i++) {
    const want = expected[i] as Row;
    const got = actual[i] as Row;
    const wantKeys = Object.keys(want).sort();
    const gotKeys = Object.keys(got).sort();
    if (wantKeys.join('\u0000') !== gotKeys.join('\u0000')) {
      return `row id ${show(want.id)}: ${expectedLabel} has columns ${wantKeys.join(', ')}, ${actualLabel} ${gotKeys.join(', ')}`;
    }
    for (const key of wantKeys) {
      if (!sameValue(want[key], got[key])) {
        return `row id ${show(want.id)}, column ${key}: ${expectedLabel} ${show(want[key])}, ${actualLabel} ${show(got[key])}`;
      }
    }
  }
  return undefined;
}
