import { type FileHandle, open } from 'node:fs/promises';
import type { ColumnInfo, Row, RowBatchStream } from '@osiris/core';
import { fsError } from './fs-errors.js';

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
export interface FileRowsOptions {
  /** Real path of the file, checked by the sandbox (resolved when the read starts). */
  file: () => Promise<string>;
  /** Path as requested, for messages. */
  path: string;
  /** Stop after this many rows. */
  limit?: number;
  /** Stops the read at the next batch; the file is closed. */
  signal?: AbortSignal;
}

const READ_CHUNK_BYTES = 128 * 1024;

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
      options.signal?.throwIfAborted();
      const handle = await open(await options.file(), 'r').catch((error) => {
        throw fsError(error, 'open', options.path);
      });
      try {
        let remaining = options.limit ?? Number.POSITIVE_INFINITY;
        for await (const batch of decoder.batches(chunksOf(handle, options.path), resolveColumns)) {
          options.signal?.throwIfAborted();
          if (batch.length >= remaining) {
            if (remaining > 0) yield batch.slice(0, remaining);
            return;
          }
          remaining -= batch.length;
          yield batch;
        }
      } finally {
        await handle.close();
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

/**
 * The file's bytes in chunks, the next one read while the caller works on the current one (so that
 * parsing and disk overlap). Leaving early waits for the read in flight before the handle is closed.
 */
async function* chunksOf(handle: FileHandle, path: string): AsyncGenerator<Buffer> {
  const readChunk = async (): Promise<Buffer | undefined> => {
    // A fresh buffer each time: parsers may keep a slice of the previous chunk.
    const buffer = Buffer.allocUnsafe(READ_CHUNK_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, READ_CHUNK_BYTES, null).catch((error) => {
      throw fsError(error, 'read', path);
    });
    return bytesRead === 0 ? undefined : buffer.subarray(0, bytesRead);
  };
  let next = readChunk();
  try {
    for (let chunk = await next; chunk !== undefined; chunk = await next) {
      next = readChunk();
      yield chunk;
    }
  } finally {
    await next.catch(() => {});
  }
}
