import { randomBytes } from 'node:crypto';
import { mkdir, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import { type CheckOptions, type CheckReport, ConnectorError, withTimeout } from '@osiris/core';
import { atomicWriteFile } from './atomic-write.js';
import { fsError } from './fs-errors.js';

/**
 * Proves the base directory usable: it exists (or is created, with `create_dirs`), is a directory,
 * takes an atomic write (a probe file, removed again), and has free space, which is reported.
 */
export async function checkBaseDir(
  baseDir: string,
  createDirs: boolean,
  options: CheckOptions = {},
): Promise<CheckReport> {
  const timedOut = () =>
    new ConnectorError(`The check gave up after ${options.timeoutMs} ms`, {
      code: 'TIMEOUT',
      category: 'timeout',
      hint: 'The disk or network filesystem behind base_dir is not answering',
      retryable: true,
    });
  return withTimeout(
    async (signal) => {
      const created = await ensureBaseDir(baseDir, createDirs);
      const probe = join(baseDir, `.osiris-check-${randomBytes(6).toString('hex')}`);
      try {
        await atomicWriteFile(probe, 'osiris check\n', { signal });
      } finally {
        await rm(probe, { force: true });
      }
      const space = await statfs(baseDir);
      const freeBytes = space.bavail * space.bsize;
      return {
        message: `${baseDir} is writable, ${formatBytes(freeBytes)} free${created ? ' (created)' : ''}`,
        details: { baseDir, created, freeBytes, totalBytes: space.blocks * space.bsize },
      };
    },
    { ms: options.timeoutMs, signal: options.signal, timeoutError: timedOut },
  );
}

async function ensureBaseDir(baseDir: string, createDirs: boolean): Promise<boolean> {
  const stats = await stat(baseDir).catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw fsError(error, 'inspect base_dir', baseDir);
  });
  if (stats?.isDirectory()) return false;
  if (stats !== undefined) {
    throw new ConnectorError(`base_dir ${baseDir} is not a directory`, {
      code: 'NOT_A_DIRECTORY',
      category: 'config',
      hint: 'Point base_dir at a directory',
    });
  }
  if (!createDirs) {
    throw new ConnectorError(`base_dir ${baseDir} does not exist`, {
      code: 'BASE_DIR_MISSING',
      category: 'not_found',
      hint: 'Create the directory, or set create_dirs: true',
    });
  }
  await mkdir(baseDir, { recursive: true }).catch((error) => {
    throw fsError(error, 'create base_dir', baseDir);
  });
  return true;
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
