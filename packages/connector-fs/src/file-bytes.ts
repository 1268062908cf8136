import { type FileHandle, open } from 'node:fs/promises';
import { fsError } from './fs-errors.js';

/** Which file a byte read reads. */
export interface FileBytesOptions {
  /** Real path of the file, checked by the sandbox (resolved when the read starts). */
  file: () => Promise<string>;
  /** Path as requested, for messages. */
  path: string;
  /** Stops the read at the next chunk; the file is closed. */
  signal?: AbortSignal;
}

const CHUNK_BYTES = 128 * 1024;

/**
 * The bytes of a file in chunks, streaming: the file is opened at the first `next()` and closed when
 * the chunks end, a read fails, the signal aborts or the caller leaves early. The next chunk is read
 * while the caller works on the current one, so that parsing and the disk overlap.
 */
export async function* fileBytes(options: FileBytesOptions): AsyncGenerator<Buffer> {
  options.signal?.throwIfAborted();
  const handle = await open(await options.file(), 'r').catch((error) => {
    throw fsError(error, 'open', options.path);
  });
  let next = readChunk(handle, options.path);
  try {
    for (let chunk = await next; chunk !== undefined; chunk = await next) {
      options.signal?.throwIfAborted();
      next = readChunk(handle, options.path);
      yield chunk;
    }
  } finally {
    // The read in flight must settle before its handle is closed.
    await next.catch(() => {});
    await handle.close();
  }
}

async function readChunk(handle: FileHandle, path: string): Promise<Buffer | undefined> {
  // A fresh buffer each time: the caller (a parser) may keep a slice of the previous chunk.
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  const { bytesRead } = await handle.read(buffer, 0, CHUNK_BYTES, null).catch((error) => {
    throw fsError(error, 'read', path);
  });
  return bytesRead === 0 ? undefined : buffer.subarray(0, bytesRead);
}
