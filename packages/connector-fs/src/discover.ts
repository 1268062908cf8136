import type { Dirent } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { join, relative, resolve } from 'node:path';
import { type ColumnInfo, ConnectorError, type DiscoveredResource, type RowBatchStream } from '@osiris/core';
import { compareCodePoints } from './columns.js';
import { fsError } from './fs-errors.js';
import { formatOfName } from './requests.js';
import type { Sandbox } from './sandbox.js';
import { isDescriptorName } from './table-schema.js';

/** Bytes read from the start of a file to estimate its row count. */
const SAMPLE_BYTES = 64 * 1024;

/** What discovery needs from the connection. */
export interface DiscoverContext {
  /** Real path of the base directory. */
  root: string;
  /** Sub-folder to list, relative to `root` (`''`: all of it); names stay relative to `root`. */
  under?: string;
  /** Whether CSV files start with a header record. */
  header: boolean;
  /** Opens a read of a file, for its columns. */
  read(path: string): RowBatchStream;
}

/**
 * Every regular file under the base directory (hidden entries and symbolic links are passed over, so
 * discovery never leaves the sandbox), sorted by path, with its size and modification time, and for
 * CSV and JSON Lines files the format, columns and an estimated row count (exact for small files).
 */
export async function discoverFiles(context: DiscoverContext): Promise<DiscoveredResource[]> {
  const paths: string[] = [];
  await collectFiles(context.root, context.under ?? '', paths);
  paths.sort(compareCodePoints);
  const resources: DiscoveredResource[] = [];
  for (const path of paths) resources.push(await describeFile(context, path));
  return resources;
}

/**
 * The sandboxed sub-folder `path` as a prefix for `discoverFiles` (`PATH_OUTSIDE_BASE` when it leaves
 * base_dir, `FILE_NOT_FOUND` or `NOT_A_DIRECTORY` when it is not a folder).
 */
export async function subFolder(sandbox: Sandbox, path: string): Promise<string> {
  const real = await sandbox.resolve(path);
  const stats = await stat(real).catch((error: unknown) => {
    throw fsError(error, 'discover', path);
  });
  if (!stats.isDirectory()) {
    throw new ConnectorError(`Cannot discover ${JSON.stringify(path)}: it is a file, not a folder`, {
      code: 'NOT_A_DIRECTORY',
      category: 'config',
      hint: 'Pass the folder to list, relative to base_dir',
    });
  }
  return relative(sandbox.baseDir, resolve(sandbox.baseDir, path));
}

async function collectFiles(root: string, prefix: string, into: string[]): Promise<void> {
  let entries: Dirent[];
  try {
    entries = await readdir(join(root, prefix), { withFileTypes: true });
  } catch {
    return; // unreadable directory: nothing of it can be listed
  }
  for (const entry of entries) {
    // A file's Table Schema is part of it (its columns come typed), not a file of its own.
    if (entry.name.startsWith('.') || isDescriptorName(entry.name)) continue;
    const path = prefix === '' ? entry.name : `${prefix}/${entry.name}`;
    if (entry.isDirectory()) await collectFiles(root, path, into);
    else if (entry.isFile()) into.push(path);
  }
}

async function describeFile(context: DiscoverContext, path: string): Promise<DiscoveredResource> {
  const file = join(context.root, path);
  const stats = await stat(file);
  const details: Record<string, unknown> = { size: stats.size, modifiedAt: stats.mtime.toISOString() };
  const format = formatOfName(path);
  if (format === undefined) return { name: path, kind: 'file', details };
  details.format = format;
  let columns: readonly ColumnInfo[] | undefined;
  let rowEstimate: number | undefined;
  try {
    columns = await context.read(path).columns();
    const headerLines = format === 'csv' && context.header && columns.length > 0 ? 1 : 0;
    rowEstimate = Math.max(0, (await estimateLines(file, stats.size)) - headerLines);
  } catch (error) {
    details.error = (error as Error).message;
  }
  return { name: path, kind: 'file', rowEstimate, columns, details };
}

/** Line count: exact when the file fits the sample, else scaled from the sample's bytes per line. */
async function estimateLines(file: string, size: number): Promise<number> {
  if (size === 0) return 0;
  const handle = await open(file, 'r');
  try {
    const sample = Buffer.alloc(Math.min(size, SAMPLE_BYTES));
    const { bytesRead } = await handle.read(sample, 0, sample.length, 0);
    let lines = 0;
    for (let i = sample.indexOf(10); i >= 0 && i < bytesRead; i = sample.indexOf(10, i + 1)) lines++;
    if (bytesRead >= size) return sample[bytesRead - 1] === 10 ? lines : lines + 1;
    return lines === 0 ? 1 : Math.round((lines * size) / bytesRead);
  } finally {
    await handle.close();
  }
}
