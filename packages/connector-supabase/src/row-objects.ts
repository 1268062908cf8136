/**
 * A row object may leave a key out, and this connector writes that as the column's default, not as null
 * (README: "Writing"). Core's sinkInput hands every batch over as arrays, where a key left out is null; this
 * keeps each object batch it took from the source beside them, so the encoder can tell the two apart and see
 * keys a later batch adds. A source that takes the fast lane has no objects, and no key left out.
 */
import type { ColumnInfo, PositionalBatch, Row, WriteColumnsInput } from '@osiris/core';

/** A write's rows, with the object batches sinkInput took from them kept for the encoder. */
export interface RowObjects {
  /** The request to give sinkInput: the same rows, columns and fast lane, its object batches noted on the way. */
  request: WriteColumnsInput;
  /** The object batch behind sinkInput's next positional batch (undefined once there is none, or on the fast lane). */
  next(): readonly Row[] | undefined;
}

type Described = {
  columns?: () => Promise<readonly ColumnInfo[]>;
  positional?: () => AsyncIterable<PositionalBatch>;
};

/** Wraps `request.rows` (see the file's opening comment). */
export function keepRowObjects(request: WriteColumnsInput): RowObjects {
  const source = request.rows;
  const { columns, positional } = source as Described;
  // sinkInput turns each object batch into one positional batch, in order: the queue holds at most the one ahead.
  const queue: Row[][] = [];
  const rows = {
    ...(typeof columns === 'function' ? { columns: () => columns.call(source) } : {}),
    ...(typeof positional === 'function' ? { positional: () => positional.call(source) } : {}),
    async *[Symbol.asyncIterator](): AsyncGenerator<Row[]> {
      for await (const batch of source) {
        queue.push(batch);
        yield batch;
      }
    },
  };
  return { request: { ...request, rows }, next: () => queue.shift() };
}
