/**
 * Brings a batch of rows into a sink's column order as canonical values of the sink's column types, checking
 * every value before any of the batch is written. Values whose source type already fits pass untouched.
 */
import type { Row } from '../contract/data.js';
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
}

/** Converts batches into positional canonical rows; throws `VALUE_INVALID` / `VALUE_OUT_OF_RANGE` naming row and column. */
export type RowConverter = (rows: readonly Row[], rowsBefore: number) => CanonicalValue[][];

/** The converter for a sink's columns; `sink` names the sink in messages (`MySQL table orders`). */
export function rowConverter(columns: readonly SinkColumn[], sink: string): RowConverter {
  const names = columns.map((column) => column.name);
  const converters: Array<Canonicalizer | undefined> = columns.map((column) =>
    column.source !== undefined && typeFits(column.source, column.target)
      ? undefined
      : canonicalizer(column.target),
  );
  const nullable = columns.map((column) => column.nullable !== false);
  // `row.toString` on a row without that key would find Object.prototype's: such names are read as own keys only.
  const inherited = names.map((name) => name in Object.prototype);
  const width = columns.length;
  return (rows, rowsBefore) => {
    const out: CanonicalValue[][] = new Array(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as Row;
      const values: CanonicalValue[] = new Array(width);
      for (let c = 0; c < width; c++) {
        const name = names[c] as string;
        const value = inherited[c] && !Object.hasOwn(row, name) ? undefined : row[name];
        const convert = converters[c];
        if ((value === null || value === undefined) && !nullable[c]) {
          throw valueRejected(NULL_IN_NOT_NULL, place(columns[c] as SinkColumn, rowsBefore + r + 1), sink);
        }
        if (convert === undefined) {
          values[c] = (value ?? null) as CanonicalValue;
          continue;
        }
        try {
          values[c] = convert(value);
        } catch (error) {
          if (!(error instanceof ValueProblem)) throw error;
          throw valueRejected(error, place(columns[c] as SinkColumn, rowsBefore + r + 1), sink);
        }
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
