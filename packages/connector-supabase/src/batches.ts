import type { PositionalBatch } from '@osiris/core';
import type { EncodedBatch } from './row-encoder.js';

/** One write request's worth of rows. */
export interface RequestBatch {
  /** 1-based batch number. */
  index: number;
  /** 1-based number (in the whole write) of the batch's first row. */
  firstRow: number;
  /** Each row as JSON: the body is built from these, so rows are encoded once. */
  json: string[];
  /** Per row, its key values as JSON-safe values when `replace` must remember them (else empty). */
  remembered: unknown[][];
  /** The columns its rows have, in order. */
  names: readonly string[];
  /** How many of its rows leave out each column of `names`; undefined when every row sets every column. */
  leftOut: number[] | undefined;
  /** Size of the body. */
  bytes: number;
}

/** Number (in the whole write) of the batch's last row. */
export const lastRow = (batch: RequestBatch) => batch.firstRow + batch.json.length - 1;

/** The request's `columns`: every column some row of it sets. */
export const requestColumns = (batch: RequestBatch) =>
  batch.leftOut === undefined
    ? batch.names
    : batch.names.filter((_, c) => batch.leftOut![c]! < batch.json.length);

/** Whether some row of the batch leaves out a column that others set (it must then take the column default). */
export const hasMissingKeys = (batch: RequestBatch) =>
  batch.leftOut?.some((left) => left > 0 && left < batch.json.length) ?? false;

/** The request body: a JSON array of the batch's rows. */
export const body = (batch: RequestBatch) => `[${batch.json.join(',')}]`;

/** Rows numbered `firstRow…` as a person reads it in a message. */
export const rowRange = (batch: RequestBatch) => `rows ${batch.firstRow}–${lastRow(batch)}`;

/**
 * Splits the source's batches into requests of at most `maxRows` rows and `maxBytes` bytes of
 * JSON (a single larger row goes alone), encoding each row once on the way. Pulls from the
 * source only as fast as requests are taken, so memory stays bounded by one source batch. Each source batch is
 * encoded whole (every value checked) before any request of it is yielded.
 */
export async function* requestBatches(
  source: AsyncIterable<PositionalBatch>,
  maxRows: number,
  maxBytes: number,
  encode: (values: PositionalBatch, rowsBefore: number) => EncodedBatch,
): AsyncGenerator<RequestBatch> {
  let index = 0;
  let rowNumber = 0;
  for await (const values of source) {
    const { names, json, leftOut, remembered } = encode(values, rowNumber);
    let pending: RequestBatch | undefined;
    for (let r = 0; r < json.length; r++) {
      const text = json[r]!;
      const bytes = Buffer.byteLength(text) + 1;
      if (pending !== undefined && pending.bytes + bytes > maxBytes) {
        yield pending;
        pending = undefined;
      }
      rowNumber++;
      pending ??= {
        index: ++index,
        firstRow: rowNumber,
        json: [],
        remembered: [],
        names,
        leftOut: leftOut === undefined ? undefined : new Array<number>(names.length).fill(0),
        bytes: 2,
      };
      pending.json.push(text);
      if (remembered !== undefined) pending.remembered.push(remembered[r]!);
      for (const c of leftOut?.[r] ?? []) pending.leftOut![c]!++;
      pending.bytes += bytes;
      // A full batch goes at once rather than waiting for the source's next row.
      if (pending.json.length >= maxRows) {
        yield pending;
        pending = undefined;
      }
    }
    // Batches are the source's unit of progress: a request never mixes rows of two of them.
    if (pending !== undefined) yield pending;
  }
}
