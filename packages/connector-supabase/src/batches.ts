import type { Row, RowSource } from '@osiris/core';
import type { RowEncoder } from './row-encoder.js';

/** One write request's worth of rows. */
export interface RequestBatch {
  /** 1-based batch number. */
  index: number;
  /** 1-based number (in the whole write) of the batch's first row. */
  firstRow: number;
  /** One entry per row: its key values as JSON-safe values when `replace` must remember them (else empty). */
  rows: Row[];
  /** Each row as JSON: the body is built from these, so rows are stringified once. */
  json: string[];
  /** Every key any row of the batch has (the `columns` of the request). */
  keys: Set<string>;
  /** Fewest keys any row has: when it equals `keys.size`, no row leaves a column out. */
  fewestKeys: number;
  /** Size of the body. */
  bytes: number;
}

/** Whether some row of the batch leaves out a key that others have (it must then take the column default). */
export const hasMissingKeys = (batch: RequestBatch) => batch.fewestKeys < batch.keys.size;

/** The request body: a JSON array of the batch's rows. */
export const body = (batch: RequestBatch) => `[${batch.json.join(',')}]`;

/** Rows numbered `firstRow…` as a person reads it in a message. */
export const rowRange = (batch: RequestBatch) =>
  `rows ${batch.firstRow}–${batch.firstRow + batch.rows.length - 1}`;

/**
 * Splits the source's batches into requests of at most `maxRows` rows and `maxBytes` bytes of
 * JSON (a single larger row goes alone), serialising each row once on the way. Pulls from the
 * source only as fast as requests are taken, so memory stays bounded by one request. Each source batch is
 * encoded whole (every value checked) before any request of it is yielded.
 */
export async function* requestBatches(
  source: RowSource,
  maxRows: number,
  maxBytes: number,
  encoderFor: (firstBatch: Row[]) => Promise<RowEncoder>,
): AsyncGenerator<RequestBatch> {
  let index = 0;
  let rowNumber = 0;
  let pending: RequestBatch | undefined;
  let encode: RowEncoder | undefined;
  for await (const sourceBatch of source as AsyncIterable<Row[]>) {
    encode ??= await encoderFor(sourceBatch);
    for (const { json, row: serialised, keys } of encode(sourceBatch, rowNumber)) {
      rowNumber++;
      const bytes = Buffer.byteLength(json) + 1;
      if (pending !== undefined && pending.bytes + bytes > maxBytes) {
        yield pending;
        pending = undefined;
      }
      pending ??= {
        index: ++index,
        firstRow: rowNumber,
        rows: [],
        json: [],
        keys: new Set(),
        fewestKeys: Number.POSITIVE_INFINITY,
        bytes: 2,
      };
      pending.rows.push(serialised);
      pending.json.push(json);
      for (const key of keys) pending.keys.add(key);
      pending.fewestKeys = Math.min(pending.fewestKeys, keys.length);
      pending.bytes += bytes;
      // A full batch goes at once rather than waiting for the source's next row.
      if (pending.rows.length >= maxRows) {
        yield pending;
        pending = undefined;
      }
    }
    // Batches are the source's unit of progress: a request never mixes rows of two of them.
    if (pending !== undefined) yield pending;
    pending = undefined;
  }
}
