/**
 * The data contract shared by every connector, so that any source feeds any sink:
 * a read is an async iterable of row batches, a write consumes one. Values are the canonical
 * values of the columns' logical types (contract/types.ts).
 */
import type { CanonicalValue, LogicalType } from './types.js';

/** One row: column name → value (the canonical value of the column's logical type, or null). */
export type Row = Record<string, unknown>;

/** What a source knows about one column. */
export interface ColumnInfo {
  /** Column name, as it appears as a key in rows. */
  name: string;
  /** Logical type, which fixes the JS value rows carry; absent when the source cannot tell. */
  type?: LogicalType;
  /** The source's own type name (`DECIMAL(12,2)`, `timestamptz`…), when known. */
  nativeType?: string;
  /** Whether the column may hold null, when known. */
  nullable?: boolean;
  /** Whether the column is part of the primary key, when known. */
  primaryKey?: boolean;
}

/**
 * A batch of the fast lane: each row an array of canonical values in the order of the stream's `columns()`
 * (null for NULL), so a sink takes values by position with no row object built and no value converted.
 */
export type PositionalBatch = CanonicalValue[][];

/** The batches of a read. `for await` them; `break` stops the read and releases what it held. */
export interface RowBatchStream<R extends Row = Row> extends AsyncIterable<R[]> {
  /** Column metadata; resolves once the source knows its columns (at the latest with the first batch). */
  columns(): Promise<readonly ColumnInfo[]>;
  /**
   * The fast lane, for sinks: the same rows as positional batches, every column of `columns()` described with
   * a logical type. A stream is read once, either by iterating it or through this; `return()` on the iterator
   * (a sink's `break`) releases what the read held. Optional: sinks fall back to the row objects.
   */
  positional?(): AsyncIterable<PositionalBatch>;
}

/** What a write takes rows from: batches, sync or async (a `RowBatchStream` is one). */
export type RowSource<R extends Row = Row> = Iterable<R[]> | AsyncIterable<R[]>;

/** Fields every read request may carry besides the connector's own (`path`, `table`, `query`…). */
export interface ReadRequestBase {
  /** Preferred rows per batch; connectors treat it as a hint. */
  batchSize?: number;
  /** Aborts the read; the stream then throws and releases what it held. */
  signal?: AbortSignal;
}

/** Progress reported after each batch a write completes. */
export interface WriteProgress {
  /** Batches completed so far. */
  batches: number;
  /** Rows written so far. */
  rows: number;
  /** Milliseconds since the write started. */
  elapsedMs: number;
}

/** Fields every write request carries besides the connector's own (`path`, `table`, `mode`…). */
export interface WriteRequestBase<R extends Row = Row> {
  /** The rows to write, in batches. When it is a `RowBatchStream`, a sink may ask it for `columns()`. */
  rows: RowSource<R>;
  /** Declared columns; otherwise the sink takes them from the source or the first batch. */
  columns?: readonly ColumnInfo[];
  /** Called after each batch. */
  onProgress?: (progress: WriteProgress) => void;
  /** Aborts the write; what a connector guarantees about partial work is its own to document. */
  signal?: AbortSignal;
}

/** What a write did. */
export interface WriteResult {
  /** Rows the sink accepted (inserted + updated, or written to a file). */
  rowsWritten: number;
  /** Rows inserted, where the sink can tell. */
  rowsInserted?: number;
  /** Rows updated in place, where the sink can tell. */
  rowsUpdated?: number;
  /** Rows deleted (by `replace`), where the sink can tell. */
  rowsDeleted?: number;
  /** Batches written. */
  batches: number;
  /** Wall time of the whole write. */
  durationMs: number;
  /** Which path ran, when a connector has more than one (`insert`, `load-data`…). */
  method?: string;
  /** Requests retried along the way. */
  retries?: number;
  /** True when the rows came through the source's fast lane (positional batches), false when from row objects. */
  fastLane?: boolean;
}

/** One thing a connection can read from or write to, as `discover()` finds it. */
export interface DiscoveredResource {
  /** Name to use in a request (table name, path relative to the base…). */
  name: string;
  /** What it is: `table`, `view`, `file`… */
  kind: string;
  /** Estimated number of rows, when cheap to know. */
  rowEstimate?: number;
  /** Columns, when known. */
  columns?: readonly ColumnInfo[];
  /** Anything else worth showing (size, format, primary key…). */
  details?: Record<string, unknown>;
}
