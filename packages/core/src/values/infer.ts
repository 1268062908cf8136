/**
 * The columns of a write: declared, else the source's own (`RowBatchStream.columns()`), else the keys of the
 * first batch. A column without a logical type gets one inferred from the JS values of that batch.
 */
import type { ColumnInfo, Row, RowSource } from '../contract/data.js';
import type { LogicalType } from '../contract/types.js';

/** The logical type that holds every one of these JS values unchanged (null and undefined say nothing). */
export function inferType(values: readonly unknown[]): LogicalType {
  let kind: 'none' | 'integer' | 'float' | LogicalType['kind'] = 'none';
  for (const value of values) {
    if (value === null || value === undefined) continue;
    const next = kindOf(value);
    if (kind === 'none' || kind === next) kind = next;
    else if ((kind === 'integer' && next === 'float') || (kind === 'float' && next === 'integer'))
      kind = 'float';
    else return { kind: 'string' };
  }
  switch (kind) {
    case 'integer':
      return { kind: 'integer', bits: 64, unsigned: false };
    case 'float':
      return { kind: 'float', bits: 64 };
    case 'boolean':
      return { kind: 'boolean' };
    case 'timestamp':
      return { kind: 'timestamp', precision: 3 };
    case 'bytes':
      return { kind: 'bytes' };
    case 'json':
      return { kind: 'json' };
    default:
      return { kind: 'string' };
  }
}

function kindOf(value: unknown): LogicalType['kind'] {
  switch (typeof value) {
    case 'bigint':
      return 'integer';
    case 'number':
      return Number.isSafeInteger(value) ? 'integer' : 'float';
    case 'boolean':
      return 'boolean';
    case 'string':
      return 'string';
    default:
      if (value instanceof Date) return 'timestamp';
      if (value instanceof Uint8Array) return 'bytes';
      return 'json';
  }
}

/** What a write needs to know to fix its columns before the first row. */
export interface WriteColumnsInput {
  /** Columns the request declares. */
  columns?: readonly ColumnInfo[];
  /** The rows; a `RowBatchStream` among them is asked for its `columns()`. */
  rows: RowSource;
}

/** A column of a write, its logical type settled. */
export interface WriteColumn extends ColumnInfo {
  /** Declared, described by the source, or inferred from the first batch. */
  type: LogicalType;
  /** True when the type is the source's own description: its values are canonical values of it already. */
  described: boolean;
}

/** The columns a write takes, each with a logical type (declared, the source's, or inferred from `sample`). */
export async function writeColumns(
  request: WriteColumnsInput,
  sample: readonly Row[],
): Promise<WriteColumn[]> {
  let columns = request.columns;
  let described = false;
  if (columns === undefined) {
    const source = request.rows as { columns?: () => Promise<readonly ColumnInfo[]> };
    const own = typeof source.columns === 'function' ? await source.columns() : [];
    described = own.length > 0;
    columns = described ? own : keysOf(sample).map((name) => ({ name }));
  }
  return columns.map((column) =>
    column.type !== undefined
      ? { ...column, type: column.type, described }
      : { ...column, type: inferType(sample.map((row) => ownValue(row, column.name))), described: false },
  );
}

/** `row[name]` when the row has that key itself (never what it inherits, e.g. `toString`). */
function ownValue(row: Row, name: string): unknown {
  return Object.hasOwn(row, name) ? row[name] : undefined;
}

/** Every key of the rows, in the order first found. */
export function keysOf(rows: readonly Row[]): string[] {
  const keys = new Set<string>();
  for (const row of rows) for (const key in row) keys.add(key);
  return [...keys];
}
