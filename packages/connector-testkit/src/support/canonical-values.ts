/**
 * What the suites know about values under the typed contract: whether a value is the canonical value of a
 * logical type (core's canonicalizer hands it back unchanged), when two values are the same, and how a value
 * reads in a failure message. Test rows are made up by the suites, so messages may quote them.
 */
import { inspect } from 'node:util';
import { type ColumnInfo, canonicalizer, describeType, type LogicalType, ValueProblem } from '@osiris/core';

/**
 * Same value: bytes by content (a Buffer equals a Uint8Array holding the same bytes), Dates by instant (no
 * canonical value, yet two reads may each build one), all else by `Object.is` (-0 ≠ 0, NaN = NaN).
 */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.byteLength === b.byteLength && a.every((byte, i) => byte === b[i]);
  }
  if (a instanceof Date && b instanceof Date) return Object.is(a.getTime(), b.getTime());
  return Object.is(a, b);
}

/** A value as a failure message shows it, its JS type included (`bigint 1n`, `Date 2024-01-01T…`). */
export function show(value: unknown): string {
  if (value === null || value === undefined) return String(value);
  if (value instanceof Uint8Array) return `${value.constructor.name}(${value.byteLength}) ${inspect(value)}`;
  const kind = value instanceof Date ? 'Date' : typeof value;
  return `${kind} ${value instanceof Date ? value.toISOString() : inspect(value)}`;
}

/** Checks values against one logical type: undefined when `value` is canonical, else why it is not. */
export type CanonicalCheck = (value: unknown) => string | undefined;

/** The check of a logical type; null is canonical for every type (NOT NULL is the sink's business). */
export function canonicalCheck(type: LogicalType): CanonicalCheck {
  const canonical = canonicalizer(type);
  const name = describeType(type);
  return (value) => {
    if (value === null) return undefined;
    let converted: unknown;
    try {
      converted = canonical(value);
    } catch (error) {
      if (!(error instanceof ValueProblem)) throw error;
      return `${show(value)} is not a value of ${name} at all: it ${error.reason}`;
    }
    // Core hands a canonical value back as it is (bytes: the same Uint8Array or Buffer).
    if (sameValue(converted, value)) return undefined;
    return `${show(value)} is not the canonical value of ${name}, which is ${show(converted)} (core's canonicalizer turns one into the other)`;
  };
}

/** The first column of `columns` (in order) that has no logical type, as a failure message; undefined when all have one. */
export function undescribed(columns: readonly ColumnInfo[]): string | undefined {
  const missing = columns.filter((column) => column.type === undefined).map((column) => column.name);
  if (missing.length === 0) return undefined;
  return `columns() describes ${missing.join(', ')} with no logical type: a typed read gives every column its type (ColumnInfo.type), so a sink can store each value exactly`;
}
