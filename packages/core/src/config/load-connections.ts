import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConnectorError } from '../errors.js';
import type { ConnectionsFile, Env } from './connections-file.js';
import { fillFromEnvFiles } from './env-files.js';
import { findConnectionsFile } from './find-connections-file.js';
import { parseConnections } from './parse-connections.js';
import { checkFileSize } from './size-limits.js';

/** Where `loadConnections` looks, and with which environment. */
export interface LoadConnectionsOptions {
  /** A connections file to read; when given, no other place is tried. */
  path?: string;
  /** Directory to resolve relative paths against and to start the upward search from (default `process.cwd()`). */
  cwd?: string;
  /** Environment to read `$OSIRIS_*` from and to fill from `.env` files (default `process.env`, never modified). */
  env?: Env;
  /**
   * `.env` files to read before the ones found next to the connections file (relative to `cwd`);
   * each must exist, the earlier ones win, and none overrides a variable set in `env`.
   */
  envFiles?: readonly string[];
}

/**
 * Finds, reads and parses `osiris_connections.yaml`, and fills unset variables from `envFiles`, then
 * from `.env` files in the places searched. Throws `CONFIG_NOT_FOUND`, `CONFIG_PARSE`,
 * `CONFIG_INVALID` or `ENV_FILE_NOT_FOUND`.
 */
export async function loadConnections(options: LoadConnectionsOptions = {}): Promise<ConnectionsFile> {
  const env = options.env ?? process.env;
  const cwd = resolve(options.cwd ?? process.cwd());
  const { file, searched } = await findConnectionsFile(options.path, cwd, env);
  const unreadable = (error: unknown) => {
    throw new ConnectorError(`Cannot read ${file}`, {
      code: 'CONFIG_NOT_FOUND',
      category: 'config',
      hint: 'Check that the file is readable by this user',
      file,
      cause: error,
    });
  };
  // Refused before it is read: a huge file would cost memory before the parser could say no.
  checkFileSize((await stat(file).catch(unreadable)).size, file);
  const source = await readFile(file, 'utf8').catch(unreadable);
  const parsed = parseConnections(source, file);
  const filled = await fillFromEnvFiles(env, searched, options.envFiles, cwd);
  return { ...parsed, searched, ...filled };
}
