import type { ColumnInfo, Row, RowBatchStream } from '@osiris/core';
import { type FileBytesOptions, fileBytes } from './file-bytes.js';

/** Reads one file format. */
export interface RecordDecoder {
  /**
   * Batches of rows from the file's bytes. Calls `onColumns` as soon as the columns are known, at
   * the latest before the first batch (or at the end of a file without rows).
   */
  batches(
    chunks: AsyncIterable<Buffer>,
    onColumns: (columns: readonly ColumnInfo[]) => void,
  ): AsyncIterable<Row[]>;
}

/** Where and how much a file read reads. */
export interface FileRowsOptions extends FileBytesOptions {
  /** Stop after this many rows. */
  limit?: number;
}

/**
 * A `RowBatchStream` over one file. The file is opened when iteration starts and closed when it ends,
 * fails, is aborted or is left early (`break`). `columns()` called before iteration reads just enough
 * of the file to know them.
 */
export function fileRows(decoder: RecordDecoder, options: FileRowsOptions): RowBatchStream {
  let resolveColumns!: (columns: readonly ColumnInfo[]) => void;
  let rejectColumns!: (error: unknown) => void;
  const known = new Promise<readonly ColumnInfo[]>((resolve, reject) => {
    resolveColumns = resolve;
    rejectColumns = reject;
  });
  known.catch(() => {}); // a caller that never asks for columns must not see an unhandled rejection
  let reading = false;

  async function* batches(): AsyncGenerator<Row[]> {
    try {
      let remaining = options.limit ?? Number.POSITIVE_INFINITY;
      // Leaving this loop (a break, an error, the limit) closes the decoder, which closes the file.
      for await (const batch of decoder.batches(fileBytes(options), resolveColumns)) {
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

  return {
    [Symbol.asyncIterator]() {
      reading = true;
      return batches();
    },
    async columns() {
      if (!reading) {
        reading = true;
        // Read the first batch only; leaving the loop closes the file.
        for await (const _ of batches()) break;
      }
      return known;
    },
  };
}
