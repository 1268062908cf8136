import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { ConnectorError } from '../errors.js';
import type { Env } from './connections-file.js';
import { lookup } from './interpolation.js';
import { setOwn } from './tree.js';

/** An environment with unset variables filled from `.env` files. */
export interface FilledEnv {
  /** The given environment plus what the `.env` files filled in. */
  env: Env;
  /** `.env` files read, the earlier ones winning. */
  envFiles: string[];
  /** Variable → the `.env` file that filled it. */
  envOrigins: Map<string, string>;
}

async function readIfPresent(file: string): Promise<string | undefined> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/** An explicitly named `.env` file must exist: a typo in its path would otherwise go unnoticed. */
async function readNamed(file: string): Promise<string> {
  return readFile(file, 'utf8').catch((error: unknown) => {
    throw new ConnectorError(`Cannot read the env file ${file}`, {
      code: 'ENV_FILE_NOT_FOUND',
      category: 'config',
      hint: 'Check the path of the env file (envFiles, or --env-file on the command line)',
      file,
      cause: error,
    });
  });
}

/**
 * Fills the variables that are still unset from `.env` files: first each of `named` (relative to
 * `cwd`, in order; each must exist), then `.env` in the directory of each searched place. A
 * variable set in `env` (even to "") is never overridden, and an earlier file wins over a later
 * one. `env` itself is left untouched.
 */
export async function fillFromEnvFiles(
  env: Env,
  searched: readonly string[],
  named: readonly string[] = [],
  cwd = process.cwd(),
): Promise<FilledEnv> {
  const filled: Record<string, string | undefined> = { ...env };
  const envFiles: string[] = [];
  const envOrigins = new Map<string, string>();
  const fill = (file: string, text: string) => {
    envFiles.push(file);
    for (const [name, value] of Object.entries(parseEnv(text))) {
      if (lookup(filled, name) !== undefined) continue;
      setOwn(filled, name, value);
      envOrigins.set(name, file);
    }
  };
  const explicit = [...new Set(named.map((file) => resolve(cwd, file)))];
  for (const file of explicit) fill(file, await readNamed(file));
  for (const file of new Set(searched.map((place) => join(dirname(place), '.env')))) {
    if (explicit.includes(file)) continue;
    const text = await readIfPresent(file);
    if (text !== undefined) fill(file, text);
  }
  return { env: filled, envFiles, envOrigins };
}
