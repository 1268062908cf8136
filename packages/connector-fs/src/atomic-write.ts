import { type FileHandle, open, rename, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { fsError } from './fs-errors.js';
import { removeStaleTemps, tempPathFor } from './temp-files.js';
import { TextBytes } from './text-bytes.js';

/** What an atomic write accepts: bytes, text, or chunks of either (a Node `Readable` is an async iterable). */
export type FileContent =
  | string
  | Uint8Array
  | Iterable<string | Uint8Array>
  | AsyncIterable<string | Uint8Array>;

/** Options of `atomicWriteFile`. */
export interface AtomicWriteOptions {
  /** Stops the write at the next chunk; the target is left as it was. */
  signal?: AbortSignal;
  /** How strings are turned into bytes (default `utf-8`). */
  encoding?: BufferEncoding;
  /** Sees every chunk of bytes before it is written, in order (a hash of the file); it must not keep them. */
  onBytes?: (bytes: Uint8Array) => void;
}

/**
 * Replaces `target` with `content` so that a reader sees the old file or the new one, never a part:
 * the content goes to a uniquely named temp file in the same directory, which is fsynced, renamed
 * over the target, and the directory fsynced. On any error or abort the temp file is removed and the
 * target is untouched. An existing target keeps its permission bits. Returns the bytes written.
 * Temp files of the same target whose writers were killed are removed first (see temp-files.ts).
 */
export async function atomicWriteFile(
  target: string,
  content: FileContent,
  options: AtomicWriteOptions = {},
): Promise<number> {
  const { signal, encoding = 'utf-8', onBytes } = options;
  signal?.throwIfAborted();
  const mode = await stat(target).then(
    (stats) => stats.mode & 0o7777,
    () => undefined,
  );
  await removeStaleTemps(target);
  const temp = tempPathFor(target);
  let handle: FileHandle | undefined = await open(temp, 'wx', mode ?? 0o666).catch((error) => {
    throw fsError(error, 'create a temporary file for', target);
  });
  // Errors of the file system are reported against the target; errors of the content's source pass unchanged.
  const fail = (error: unknown): never => {
    throw fsError(error, 'write', target);
  };
  try {
    // The umask may have cleared bits of the old mode at creation.
    if (mode !== undefined) await handle.chmod(mode).catch(fail);
    let bytes = 0;
    const text = new TextBytes(encoding);
    for await (const chunk of chunksOf(content)) {
      signal?.throwIfAborted();
      if (typeof chunk === 'string') text.append(chunk);
      const data = typeof chunk === 'string' ? text.take() : chunk;
      onBytes?.(data);
      bytes += await writeFully(handle, data).catch(fail);
    }
    signal?.throwIfAborted();
    await handle.sync().catch(fail);
    await handle.close().catch(fail);
    handle = undefined;
    await rename(temp, target).catch(fail);
    await syncDirectory(dirname(target)).catch(fail);
    return bytes;
  } catch (error) {
    await handle?.close().catch(() => {});
    await rm(temp, { force: true });
    throw error;
  }
}

function* once<T>(value: T): Iterable<T> {
  yield value;
}

function chunksOf(content: FileContent): Iterable<string | Uint8Array> | AsyncIterable<string | Uint8Array> {
  return typeof content === 'string' || content instanceof Uint8Array ? once(content) : content;
}

async function writeFully(handle: FileHandle, bytes: Uint8Array): Promise<number> {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    offset += bytesWritten;
  }
  return bytes.length;
}

/** Makes the rename itself durable; Windows cannot open a directory, and its rename is durable enough. */
async function syncDirectory(directory: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await open(directory, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
