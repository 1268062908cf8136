/**
 * The `<file>.schema.json` next to a data file: written after the data with the data's size and SHA-256,
 * found and checked on read. The two renames are not one atomic step, so the fingerprint is what tells a
 * reader that a descriptor belongs to another version of the file (a write that died between them, or two
 * writers racing) instead of typing the wrong data with it.
 */
import { createHash } from 'node:crypto';
import { lstat, readFile, realpath, rm, stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import { type ColumnInfo, ConnectorError } from '@osiris/core';
import { atomicWriteFile } from './atomic-write.js';
import { fsError } from './fs-errors.js';
import type { FileDialect } from './requests.js';
import {
  columnsOf,
  dateFormatsOf,
  descriptorPath,
  dialectOf,
  invalidDescriptor,
  type TableSchema,
} from './table-schema.js';

/** A descriptor found next to a data file. */
export interface Descriptor {
  /** Its path as requested (relative to base_dir). */
  path: string;
  /** The columns it describes, typed. */
  columns: ColumnInfo[];
  /** How the file was written (delimiter, header, encoding). */
  dialect: FileDialect;
  /** The `date_format` patterns its date-time columns were written with, by column name. */
  dateFormats: Map<string, string>;
  /** Its `missingValues`, when it has them. */
  missingValues?: readonly string[];
  /** The SHA-256 of the data it was written with, when this connector wrote it. */
  sha256?: string;
}

/**
 * The descriptor next to the data file `path` (relative to base_dir) whose real path is `file`: the
 * one beside the file itself, so that a read through a symbolic link finds what a write through it wrote.
 */
export async function readDescriptor(
  path: string,
  file: string,
  sandbox: { baseDir: string; resolve(path: string): Promise<string> },
): Promise<Descriptor | undefined> {
  const base = await realpath(sandbox.baseDir);
  const own = descriptorPath(relative(base, file).split(sep).join('/'));
  const text = await readFile(await sandbox.resolve(own), 'utf8').catch((error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return undefined;
    throw fsError(error, 'read', own);
  });
  if (text === undefined) return undefined;
  let schema: TableSchema;
  try {
    schema = JSON.parse(text) as TableSchema;
  } catch (error) {
    throw invalidDescriptor(own, `it is not JSON (${(error as Error).message})`);
  }
  const columns = columnsOf(schema, own);
  const fingerprint = schema.osirisData;
  if (fingerprint !== undefined) {
    const size = await stat(file).then(
      (stats) => stats.size,
      (error) => {
        throw fsError(error, 'open', path);
      },
    );
    if (size !== fingerprint.bytes) {
      throw staleDescriptor(own, path, `it was written for ${fingerprint.bytes} bytes, the file has ${size}`);
    }
  }
  return {
    path: own,
    columns,
    dialect: dialectOf(schema, own),
    dateFormats: dateFormatsOf(schema, columns),
    missingValues: Array.isArray(schema.missingValues) ? schema.missingValues : undefined,
    sha256: typeof fingerprint?.sha256 === 'string' ? fingerprint.sha256 : undefined,
  };
}

/** The chunks of a data file as they are, checked at their end against the descriptor's SHA-256. */
export async function* checkedChunks(
  chunks: AsyncIterable<Buffer>,
  descriptor: Descriptor,
  path: string,
): AsyncGenerator<Buffer> {
  const hash = createHash('sha256');
  for await (const chunk of chunks) {
    hash.update(chunk);
    yield chunk;
  }
  if (hash.digest('hex') !== descriptor.sha256) {
    throw staleDescriptor(descriptor.path, path, 'the content differs from the one it was written with');
  }
}

function staleDescriptor(descriptor: string, path: string, reason: string): ConnectorError {
  return new ConnectorError(`${descriptor} does not describe ${path}: ${reason}`, {
    code: 'SCHEMA_MISMATCH',
    category: 'config',
    hint:
      'A write of the file was interrupted between the data and its descriptor, or two writes raced: ' +
      'write the file again, or delete the descriptor (values then read as text)',
    file: descriptor,
  });
}

/**
 * The SHA-256 of bytes as they are written (`update` takes each chunk in order; `atomicWriteFile`'s `onBytes`),
 * hashing the bytes already encoded rather than encoding the text a second time.
 */
export function byteHash(): { update: (bytes: Uint8Array) => void; digest: () => string } {
  const hash = createHash('sha256');
  return { update: (bytes) => void hash.update(bytes), digest: () => hash.digest('hex') };
}

/** Writes the descriptor of a data file just written (`bytes` long, `sha256`), atomically. */
export async function writeDescriptor(file: string, schema: TableSchema): Promise<void> {
  // No abort signal: the data is in place by now, and its descriptor belongs with it.
  await atomicWriteFile(descriptorPath(file), `${descriptorText(schema)}\n`);
}

/** A descriptor as JSON, two spaces deep, fields one a block: reviewable in a diff. */
export function descriptorText(schema: TableSchema): string {
  return JSON.stringify(schema, null, 2);
}

/**
 * Removes a descriptor this connector wrote for an earlier version of `file`; one written by hand (no
 * `osirisData`) stays, and so does a symbolic link, which is not followed.
 */
export async function removeOwnDescriptor(file: string): Promise<void> {
  const own = descriptorPath(file);
  const isFile = await lstat(own).then(
    (stats) => stats.isFile(),
    () => false,
  );
  if (!isFile) return;
  const text = await readFile(own, 'utf8').catch(() => undefined);
  if (text === undefined) return;
  try {
    if ((JSON.parse(text) as TableSchema).osirisData === undefined) return;
  } catch {
    return;
  }
  await rm(own, { force: true });
}
