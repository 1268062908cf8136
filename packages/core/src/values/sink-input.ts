/**
 * What a sink reads from a write request, negotiated once for every connector: the columns (declared, described
 * by the source, or inferred from its first batch) and the rows as positional batches in that order — through
 * the source's fast lane (`RowBatchStream.positional()`) when it offers one, else from its row objects.
 */
import type { ColumnInfo, PositionalBatch, Row, RowSource } from '../contract/data.js';
import type { CanonicalValue } from '../contract/types.js';
import { ConnectorError } from '../errors.js';
import { type WriteColumn, type WriteColumnsInput, writeColumns } from './infer.js';
import { positionsOf } from './row-converter.js';

/** The rows of a write, ready for a sink. */
export interface SinkInput {
  /** The write's columns, each with a logical type. */
  columns: WriteColumn[];
  /** The rows as positional batches in the order of `columns`; iterate once. */
  batches: AsyncIterable<PositionalBatch>;
  /** True when the batches come through the source's fast lane (no row object was built). */
  fastLane: boolean;
  /** Releases the source when the sink stops before the end (idempotent; a finished read has released it already). */
  close(): Promise<void>;
}

type FastLaneSource = RowSource & {
  columns(): Promise<readonly ColumnInfo[]>;
  positional(): AsyncIterable<PositionalBatch>;
};

/** What a sink does with the row objects of a source without a fast lane, besides taking their values. */
export interface SinkInputOptions {
  /**
   * A row object holding a key outside the write's columns: `refuse` (default), `SCHEMA_MISMATCH` naming row and
   * key before the batch is handed on — a value is never dropped silently; `ignore`: the sink takes care of such
   * keys itself (or its user asked to drop them).
   */
  extraKeys?: 'refuse' | 'ignore';
  /** The hint of that refusal, when the sink offers a way out of its own (default: declare the columns). */
  extraKeysHint?: string;
  /** Called with each batch of row objects before it becomes positional (the first before the columns are fixed): a sink's own checks. */
  onRowObjects?: (rows: readonly Row[], rowsBefore: number) => void;
}

/** Opens the rows of `request` for a sink (see the file's opening comment). */
export async function sinkInput(
  request: WriteColumnsInput,
  options: SinkInputOptions = {},
): Promise<SinkInput> {
  const source = request.rows;
  if (hasFastLane(source)) {
    const described = await source.columns();
    if (described.length > 0 && described.every((column) => column.type !== undefined)) {
      const own = described.map((column) => ({ ...column, type: column.type!, described: true }));
      const columns = request.columns === undefined ? own : declaredOver(request.columns, own);
      const iterator = source.positional()[Symbol.asyncIterator]();
      const picked = picker(
        own.map((column) => column.name),
        columns.map((column) => column.name),
      );
      return {
        columns,
        batches: picked === undefined ? once(iterator) : mapped(iterator, picked),
        fastLane: true,
        close: async () => void (await iterator.return?.()),
      };
    }
  }
  const iterator = (
    Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]()
  ) as AsyncIterator<Row[]> | Iterator<Row[]>;
  const { onRowObjects } = options;
  // The first batch with rows fixes the columns: leading empty batches say nothing about them.
  let first = await iterator.next();
  try {
    while (!first.done) {
      onRowObjects?.(first.value, 0);
      if (first.value.length > 0) break;
      first = await iterator.next();
    }
  } catch (error) {
    await iterator.return?.();
    throw error;
  }
  const columns = await writeColumns(request, first.done ? [] : first.value);
  const names = columns.map((column) => column.name);
  const toArrays = positionsOf(names);
  const check = options.extraKeys === 'ignore' ? undefined : extraKeyCheck(names, options.extraKeysHint);
  async function* batches(): AsyncGenerator<PositionalBatch> {
    let rowsBefore = 0;
    try {
      for (let next = first; !next.done; next = await iterator.next()) {
        if (next !== first) onRowObjects?.(next.value, rowsBefore);
        check?.(next.value, rowsBefore);
        rowsBefore += next.value.length;
        yield toArrays(next.value);
      }
    } finally {
      await iterator.return?.();
    }
  }
  return {
    columns,
    batches: batches(),
    fastLane: false,
    close: async () => void (await iterator.return?.()),
  };
}

/** Throws `SCHEMA_MISMATCH` for the first row holding a key (with a value) outside `names`. */
function extraKeyCheck(
  names: readonly string[],
  hint = 'Declare every column in `columns` (the columns of a write are fixed by its first batch otherwise)',
): (rows: readonly Row[], rowsBefore: number) => void {
  const known = new Set(names);
  return (rows, rowsBefore) => {
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as Row;
      for (const key in row) {
        if (known.has(key) || row[key] === undefined || !Object.hasOwn(row, key)) continue;
        throw new ConnectorError(
          `Row ${rowsBefore + r + 1} has column ${JSON.stringify(key)}, which is not among the write's columns (${names.join(', ')})`,
          {
            code: 'SCHEMA_MISMATCH',
            category: 'config',
            hint,
            details: { column: key, row: rowsBefore + r + 1 },
          },
        );
      }
    }
  };
}

function hasFastLane(source: RowSource): source is FastLaneSource {
  const candidate = source as Partial<FastLaneSource>;
  return typeof candidate.positional === 'function' && typeof candidate.columns === 'function';
}

/** Declared columns keep their own facts and take the source's logical type where they declare none. */
function declaredOver(declared: readonly ColumnInfo[], own: readonly WriteColumn[]): WriteColumn[] {
  const byName = new Map(own.map((column) => [column.name, column]));
  return declared.map((column) => {
    const described = byName.get(column.name);
    const type = column.type ?? described?.type ?? { kind: 'string' as const };
    return { ...described, ...column, type, described: column.type === undefined && described !== undefined };
  });
}

/** Source positions of `wanted` (−1: not in the source, read as null), or undefined when they are the same order. */
function picker(have: readonly string[], wanted: readonly string[]): number[] | undefined {
  if (have.length === wanted.length && have.every((name, i) => name === wanted[i])) return undefined;
  const index = new Map(have.map((name, i) => [name, i]));
  return wanted.map((name) => index.get(name) ?? -1);
}

function once<T>(iterator: AsyncIterator<T>): AsyncIterable<T> {
  return { [Symbol.asyncIterator]: () => iterator };
}

async function* mapped(
  iterator: AsyncIterator<PositionalBatch>,
  picked: readonly number[],
): AsyncGenerator<PositionalBatch> {
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) {
      yield next.value.map((row) => picked.map((at): CanonicalValue => (at < 0 ? null : (row[at] ?? null))));
    }
  } finally {
    await iterator.return?.();
  }
}
