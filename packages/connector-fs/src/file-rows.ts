/**
 * The `RowBatchStream` of one file read: the file opened and closed around the decoder, the limit, and the two
 * ways out — row objects for code that iterates the read, positional batches for a sink (the fast lane).
 */
import {
  type ColumnInfo,
  type PositionalBatch,
  type Row,
  type RowBatchStream,
  rowObjects,
} from '@osiris/core';
import { type FileBytesOptions, fileBytes } from './file-bytes.js';
import { invalidRequest } from './fs-errors.js';

/** Rows as a decoder gives them: positional (in the order of the columns it announced), or the file's own objects. */
export type DecodedBatch = PositionalBatch | Row[];

/** Reads one file format. */
export interface RecordDecoder {
  /**
   * Batches of rows from the file's bytes. Calls `onColumns` as soon as the columns are known, at the latest
   * before the first batch (or at the end of a file without rows), saying whether the batches are positional
   * (each row an array of values in the order of those columns) or row objects (a file with no fixed columns).
   */
  batches(
    chunks: AsyncIterable<Buffer>,
    onColumns: (columns: readonly ColumnInfo[], positional: boolean) => void,
  ): AsyncIterable<DecodedBatch>;
}

/** Where and how much a file read reads. */
export interface FileRowsOptions extends FileBytesOptions {
  /** Stop after this many rows. */
  limit?: number;
}

/** A file read: a `RowBatchStream` that always offers the fast lane (which refuses a read without types). */
export type FileRowStream = RowBatchStream & Required<Pick<RowBatchStream, 'positional'>>;

type Layout = (columns: readonly ColumnInfo[], positional: boolean) => void;

/**
 * A `RowBatchStream` over one file. The file is opened when iteration starts and closed when it ends,
 * fails, is aborted or is left early (`break`). `columns()` called before iteration reads just enough
 * of the file to know them. `positional()` gives the decoder's arrays as they are, when every column has a
 * logical type; iterating builds row objects from them.
 */
export function fileRows(decoder: RecordDecoder, options: FileRowsOptions): FileRowStream {
  let resolveColumns!: (columns: readonly ColumnInfo[]) => void;
  let rejectColumns!: (error: unknown) => void;
  const known = new Promise<readonly ColumnInfo[]>((resolve, reject) => {
    resolveColumns = resolve;
    rejectColumns = reject;
  });
  known.catch(() => {}); // a caller that never asks for columns must not see an unhandled rejection
  let reading = false;

  async function* decoded(onLayout?: Layout): AsyncGenerator<DecodedBatch> {
    try {
      let remaining = options.limit ?? Number.POSITIVE_INFINITY;
      const announce: Layout = (columns, positional) => {
        onLayout?.(columns, positional);
        resolveColumns(columns);
      };
      // Leaving this loop (a break, an error, the limit) closes the decoder, which closes the file.
      for await (const batch of decoder.batches(fileBytes(options), announce)) {
        options.signal?.throwIfAborted();
        if (batch.length >= remaining) {
          if (remaining > 0) yield batch.slice(0, remaining);
          return;
        }
        remaining -= batch.length;
        yield batch;
      }
    } catch (error) {
      rejectColumns(error);
      throw error;
    }
  }

  async function* objects(): AsyncGenerator<Row[]> {
    let toObjects: ((batch: PositionalBatch) => Row[]) | undefined;
    const layout: Layout = (columns, positional) => {
      if (positional) toObjects = rowObjects(columns.map((column) => column.name));
    };
    for await (const batch of decoded(layout))
      yield toObjects === undefined ? (batch as Row[]) : toObjects(batch as PositionalBatch);
  }

  async function* positional(): AsyncGenerator<PositionalBatch> {
    let lane = false;
    const layout: Layout = (columns, positional) => {
      lane = positional && columns.every((column) => column.type !== undefined);
    };
    for await (const batch of decoded(layout)) {
      if (!lane) throw noFastLane(options.path);
      yield batch as PositionalBatch;
    }
  }

  return {
    [Symbol.asyncIterator]() {
      reading = true;
      return objects();
    },
    positional() {
      reading = true;
      return positional();
    },
    async columns() {
      if (!reading) {
        reading = true;
        // Read the first batch only; leaving the loop closes the file.
        for await (const _ of decoded()) break;
      }
      return known;
    },
  };
}

function noFastLane(path: string) {
  return invalidRequest(
    `${path} has columns without a logical type (JSON Lines read without a descriptor or declared types): it has no positional batches`,
    'Iterate the read for its row objects, or declare the column types in `columns`',
  );
}
