import { constants } from 'node:fs';
import { access, stat, statfs } from 'node:fs/promises';
import { dirname } from 'node:path';
import { type CheckOptions, type CheckReport, ConnectorError, withTimeout } from '@osiris/core';
import { fsError } from './fs-errors.js';

/**
 * Proves the base directory usable without changing anything: it is a writable directory, or, when
 * it does not exist yet and `create_dirs` is on, its nearest existing parent is one (the first write
 * creates it). Free space on that filesystem is reported.
 */
export async function checkBaseDir(
  baseDir: string,
  createDirs: boolean,
  options: CheckOptions = {},
): Promise<CheckReport> {
  const timedOut = () =>
    new ConnectorError(`The check gave up after ${options.timeoutMs} ms`, {
      code: 'OPERATION_TIMEOUT',
      category: 'timeout',
      hint: 'The disk or network filesystem behind base_dir is not answering',
      retryable: true,
    });
  return withTimeout(
    async () => {
      const existing = await nearestExisting(baseDir, createDirs);
      await access(existing, constants.W_OK).catch((error) => {
        throw fsError(error, 'write to', existing);
      });
      const space = await statfs(existing);
      const freeBytes = space.bavail * space.bsize;
      const exists = existing === baseDir;
      return {
        message: `${baseDir} is writable, ${formatBytes(freeBytes)} free${exists ? '' : ' (created on first write)'}`,
        details: { baseDir, exists, freeBytes, totalBytes: space.blocks * space.bsize },
      };
    },
    { ms: options.timeoutMs, signal: options.signal, timeoutError: timedOut },
  );
}

/** base_dir when it is a directory; else, with `createDirs`, the nearest directory above it that exists. */
async function nearestExisting(baseDir: string, createDirs: boolean): Promise<string> {
  for (let path = baseDir; ; path = dirname(path)) {
    const stats = await stat(path).catch((error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
      throw fsError(error, 'inspect base_dir', path);
    });
    if (stats?.isDirectory()) return path;
    if (stats !== undefined) {
      throw new ConnectorError(
        `base_dir ${baseDir} is not a directory${path === baseDir ? '' : ` (${path} is a file)`}`,
        {
          code: 'NOT_A_DIRECTORY',
          category: 'config',
          hint: 'Point base_dir at a directory',
        },
      );
    }
    if (!createDirs) {
      throw new ConnectorError(`base_dir ${baseDir} does not exist`, {
        code: 'BASE_DIR_MISSING',
        category: 'not_found',
        hint: 'Create the directory, or set create_dirs: true',
      });
    }
    if (dirname(path) === path) return path;
  }
}

function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB', 'PiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}
