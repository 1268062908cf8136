import type { Row, RowSource, WriteRequestBase } from '@osiris/core';
import { assertKnownColumns, writeColumns } from './columns.js';
import { unsupportedValue } from './json-text.js';

/** Encodes the records of one file format. */
export interface RecordEncoder {
  /** Text before the first record (a CSV header), given the column names. */
  header(columns: readonly string[]): string;
  /** Text of a batch of rows, keys taken in `columns` order. */
  objects(rows: readonly Row[], columns: readonly string[]): string;
}

/** How one write turns rows into text. */
export interface RowTextOptions {
  /** The file format's encoder. */
  encoder: RecordEncoder;
  /** Whether to start with `encoder.header()`. */
  header: boolean;
  /** Whether the column set is put in code-point order. */
  sortColumns: boolean;
  /** Whether a row may hold keys outside the column set (they are dropped). */
  ignoreExtraColumns: boolean;
  /** Called after each batch is encoded, with the totals so far. */
  onBatch: (batches: number, rows: number) => void;
}

/** Text pieces are gathered up to this many characters, so that small batches do not mean small writes. */
const CHUNK_CHARS = 64 * 1024;

/**
 * The text of a file written from `request.rows`, in chunks, pulling the next batch only when the
 * previous chunk has been taken (so a slow disk slows the source: backpressure, bounded memory).
 */
export async function* rowsAsText(
  request: WriteRequestBase,
  options: RowTextOptions,
): AsyncGenerator<string> {
  const { encoder, onBatch } = options;
  const source: RowSource = request.rows;
  let columns: string[] | undefined;
  let known: Set<string> | undefined;
  let pending = '';
  let batches = 0;
  let rows = 0;
  for await (const batch of source) {
    if (!Array.isArray(batch))
      throw unsupportedValue(batch, 'rows must yield arrays (batches) of row objects');
    if (columns === undefined) {
      columns = await writeColumns(request.columns, source, batch, options.sortColumns);
      known = new Set(columns);
      if (options.header) pending = encoder.header(columns);
    }
    if (!options.ignoreExtraColumns) assertKnownColumns(batch, known!, rows);
    pending += encoder.objects(batch, columns);
    batches++;
    rows += batch.length;
    onBatch(batches, rows);
    if (pending.length >= CHUNK_CHARS) {
      yield pending;
      pending = '';
    }
  }
  if (columns === undefined && options.header) {
    // No rows: the header alone still says what the file holds, when the columns are known.
    const names = await writeColumns(request.columns, source, undefined, options.sortColumns);
    if (names.length > 0) pending = encoder.header(names);
  }
  if (pending !== '') yield pending;
}
