import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { parseEnv } from 'node:util';
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

/**
 * Reads `.env` from the directory of each searched place, in order, and fills the variables
 * that are still unset: a variable set in `env` (even to "") is never overridden, and an
 * earlier `.env` wins over a later one. `env` itself is left untouched.
 */
export async function fillFromEnvFiles(env: Env, searched: readonly string[]): Promise<FilledEnv> {
  const filled: Record<string, string | undefined> = { ...env };
  const envFiles: string[] = [];
  const envOrigins = new Map<string, string>();
  for (const file of new Set(searched.map((place) => join(dirname(place), '.env')))) {
    const text = await readIfPresent(file);
    if (text === undefined) continue;
    envFiles.push(file);
    for (const [name, value] of Object.entries(parseEnv(text))) {
      if (lookup(filled, name) !== undefined) continue;
      setOwn(filled, name, value);
      envOrigins.set(name, file);
    }
  }
  return { env: filled, envFiles, envOrigins };
}
