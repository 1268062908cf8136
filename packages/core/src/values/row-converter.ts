/**
 * Brings batches into a sink's column types as canonical values, checking every value before any of the batch
 * is written. Values whose source type already fits pass untouched, so a described source's batch costs
 * nothing but a look at its nulls.
 */
import type { PositionalBatch, Row } from '../contract/data.js';
import type { CanonicalValue, LogicalType } from '../contract/types.js';
import { type Canonicalizer, canonicalizer, ValueProblem } from './canonical.js';
import { typeFits } from './fits.js';
import { type ValuePlace, valueRejected } from './rejection.js';

/** One column a sink stores. */
export interface SinkColumn {
  /** Column name (the key in rows). */
  name: string;
  /** The logical type the sink's column holds. */
  target: LogicalType;
  /** The source's logical type, when the source described it (its values are then trusted to be canonical). */
  source?: LogicalType;
  /** The sink's own type name, for messages. */
  nativeType?: string;
  /** False when the column refuses null (NOT NULL). */
  nullable?: boolean;
  /** False when the source says the column never holds null (then a NOT NULL target needs no look). */
  sourceNullable?: boolean;
}

/** Converts object batches into positional canonical rows; throws `VALUE_INVALID` / `VALUE_OUT_OF_RANGE` naming row and column. */
export type RowConverter = (rows: readonly Row[], rowsBefore: number) => CanonicalValue[][];

/** Converts positional batches (in the sink columns' order) in place; throws like `RowConverter`. */
export type PositionalConverter = (rows: PositionalBatch, rowsBefore: number) => PositionalBatch;

/** The converter of positional batches for a sink's columns; `sink` names the sink in messages (`MySQL table orders`). */
export function positionalConverter(columns: readonly SinkColumn[], sink: string): PositionalConverter {
  const converters: Array<Canonicalizer | undefined> = columns.map((column) =>
    column.source !== undefined && typeFits(column.source, column.target)
      ? undefined
      : canonicalizer(column.target),
  );
  const checkNull = columns.map((column) => column.nullable === false && column.sourceNullable !== false);
  const active = columns.flatMap((_, c) => (converters[c] !== undefined || checkNull[c] ? [c] : []));
  if (active.length === 0) return (rows) => rows;
  return (rows, rowsBefore) => {
    for (let r = 0; r < rows.length; r++) {
      const values = rows[r] as CanonicalValue[];
      for (const c of active) {
        const value = values[c];
        if (value === null || value === undefined) {
          if (checkNull[c])
            throw valueRejected(NULL_IN_NOT_NULL, place(columns[c] as SinkColumn, rowsBefore + r + 1), sink);
          values[c] = null;
          continue;
        }
        const convert = converters[c];
        if (convert === undefined) continue;
        try {
          values[c] = convert(value);
        } catch (error) {
          if (!(error instanceof ValueProblem)) throw error;
          throw valueRejected(error, place(columns[c] as SinkColumn, rowsBefore + r + 1), sink);
        }
      }
    }
    return rows;
  };
}

/** The converter of object batches for a sink's columns: each row taken in the columns' order, then converted. */
export function rowConverter(columns: readonly SinkColumn[], sink: string): RowConverter {
  const toArrays = positionsOf(columns.map((column) => column.name));
  const convert = positionalConverter(
    columns.map((column) => ({ ...column, sourceNullable: undefined })),
    sink,
  );
  return (rows, rowsBefore) => convert(toArrays(rows), rowsBefore);
}

/** Object rows → arrays in the order of `names`; a missing key is null. */
export function positionsOf(names: readonly string[]): (rows: readonly Row[]) => PositionalBatch {
  // `row.toString` on a row without that key would find Object.prototype's: such names are read as own keys only.
  const inherited = names.map((name) => name in Object.prototype);
  const width = names.length;
  return (rows) => {
    const out: PositionalBatch = new Array(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as Row;
      const values: CanonicalValue[] = new Array(width);
      for (let c = 0; c < width; c++) {
        const name = names[c] as string;
        const value = inherited[c] && !Object.hasOwn(row, name) ? undefined : row[name];
        values[c] = (value ?? null) as CanonicalValue;
      }
      out[r] = values;
    }
    return out;
  };
}

const NULL_IN_NOT_NULL = new ValueProblem('VALUE_INVALID', 'is null, which a NOT NULL column refuses');

function place(column: SinkColumn, row: number): ValuePlace {
  return { column: column.name, row, type: column.target, nativeType: column.nativeType };
}
