import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { parseEnv } from 'node:util';
import { ConnectorError, type Env } from '@osiris/core';

/** An environment filled from `--env-file`, and which variables that file supplied. */
export interface EnvWithFile {
  env: Env;
  origins: Map<string, string>;
}

/**
 * Fills the variables `--env-file` sets that are unset in `env` (a set variable, even an empty
 * one, always wins). Core reads the `.env` files next to the connections file itself; this is
 * only the file named on the command line, read first so that it wins over those.
 */
export async function readEnvFile(env: Env, file: string | undefined, cwd: string): Promise<EnvWithFile> {
  const origins = new Map<string, string>();
  if (file === undefined) return { env, origins };
  const path = resolve(cwd, file);
  const text = await readFile(path, 'utf8').catch((error: unknown) => {
    throw new ConnectorError(`Cannot read the env file ${path}`, {
      code: 'ENV_FILE_NOT_FOUND',
      category: 'config',
      hint: 'Check the path given to --env-file',
      file: path,
      cause: error,
    });
  });
  const filled: Record<string, string | undefined> = { ...env };
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (Object.hasOwn(filled, name)) continue;
    filled[name] = value;
    origins.set(name, path);
  }
  return { env: filled, origins };
}
