import { lstat, readlink, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';
import { ConnectorError } from '@osiris/core';
import { fsError } from './fs-errors.js';

/** Symbolic links followed before a path counts as a loop (Linux stops at 40 too). */
const MAX_LINKS = 40;

/** Confines every path a request names to one base directory. */
export interface Sandbox {
  /** The base directory as configured, made absolute. */
  readonly baseDir: string;
  /**
   * The real absolute path of `path` (relative to the base), with every symbolic link that exists
   * resolved; throws `PATH_OUTSIDE_BASE` (category `permission`) before anything is touched when
   * it is absolute, holds a NUL byte or an encoded separator, climbs out with `..`, or passes a
   * link that leads out.
   */
  resolve(path: string): Promise<string>;
}

export function createSandbox(baseDir: string): Sandbox {
  const absoluteBase = resolve(baseDir);
  return {
    baseDir: absoluteBase,
    async resolve(path) {
      const segments = lexicalSegments(path);
      const realBase = await realResolve(absoluteBase, path);
      const real = await realResolve(join(absoluteBase, ...segments), path);
      if (!isInside(realBase, real)) {
        throw outside(path, 'it passes a symbolic link that leads outside base_dir');
      }
      return real;
    },
  };
}

/** The path's segments after `.` and inner `..` are applied; refuses what could leave the base. */
function lexicalSegments(path: string): string[] {
  if (typeof path !== 'string') throw outside(String(path), 'it is not a string');
  if (path.includes('\0')) throw outside(path, 'it contains a NUL byte');
  if (isAbsolute(path) || /^[\\/]|^[a-zA-Z]:/.test(path)) throw outside(path, 'it is absolute');
  // Traversal hidden from filters as %2e%2e%2f: no file name of ours needs these encoded.
  if (/%(00|2e|2f|5c)/i.test(path)) throw outside(path, 'it %-encodes a dot, separator or NUL');
  const segments: string[] = [];
  for (const segment of path.split(/[\\/]+/)) {
    if (segment === '' || segment === '.') continue;
    if (segment !== '..') segments.push(segment);
    else if (segments.pop() === undefined) throw outside(path, 'its ".." climbs above base_dir');
  }
  return segments;
}

/** The real path of `path`: links resolved where they exist, the missing tail appended as written. */
async function realResolve(path: string, requested: string, links = 0): Promise<string> {
  try {
    return await realpath(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ELOOP' || links > MAX_LINKS) throw outside(requested, 'its symbolic links form a loop');
    if (code === 'ENOTDIR') return path; // the operation itself then reports the file in the way
    if (code !== 'ENOENT') throw fsError(error, 'resolve', requested);
  }
  const stats = await lstat(path).catch(() => undefined);
  if (stats?.isSymbolicLink()) {
    // A dangling link: what it points at decides where a write through it would land.
    return realResolve(resolve(dirname(path), await readlink(path)), requested, links + 1);
  }
  const parent = dirname(path);
  if (parent === path) return path;
  return join(await realResolve(parent, requested, links), basename(path));
}

function isInside(base: string, path: string): boolean {
  const rel = relative(base, path);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

function outside(path: string, reason: string): ConnectorError {
  return new ConnectorError(`Path ${JSON.stringify(path)} is refused: ${reason}`, {
    code: 'PATH_OUTSIDE_BASE',
    category: 'permission',
    hint: 'Name a file by a plain relative path inside base_dir, e.g. "exports/orders.csv"',
    details: { path },
  });
}
