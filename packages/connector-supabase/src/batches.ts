import type { Row, RowSource } from '@osiris/core';
import { serializeRow } from './serialize.js';

/** One write request's worth of rows. */
export interface RequestBatch {
  /** 1-based batch number. */
  index: number;
  /** 1-based number (in the whole write) of the batch's first row. */
  firstRow: number;
  /** Rows serialised for the request body. */
  rows: Row[];
  /** Size of the rows as JSON. */
  bytes: number;
}

/** Rows numbered `firstRow…` as a person reads it in a message. */
export const rowRange = (batch: RequestBatch) =>
  `rows ${batch.firstRow}–${batch.firstRow + batch.rows.length - 1}`;

/**
 * Splits the source's batches into requests of at most `maxRows` rows and `maxBytes` bytes of
 * JSON (a single larger row goes alone), serialising each row once on the way. Pulls from the
 * source only as fast as requests are taken, so memory stays bounded by one request.
 */
export async function* requestBatches(
  source: RowSource,
  maxRows: number,
  maxBytes: number,
): AsyncGenerator<RequestBatch> {
  let index = 0;
  let rowNumber = 0;
  let pending: RequestBatch | undefined;
  for await (const sourceBatch of source as AsyncIterable<Row[]>) {
    for (const row of sourceBatch) {
      rowNumber++;
      const serialised = serializeRow(row, rowNumber);
      const bytes = Buffer.byteLength(JSON.stringify(serialised)) + 1;
      if (pending !== undefined && pending.bytes + bytes > maxBytes) {
        yield pending;
        pending = undefined;
      }
      pending ??= { index: ++index, firstRow: rowNumber, rows: [], bytes: 2 };
      pending.rows.push(serialised);
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
