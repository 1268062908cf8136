import { stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { ConnectorError } from '../errors.js';
import type { Env } from './connections-file.js';

/** The name looked for in `$OSIRIS_HOME`, the current directory and its parents. */
export const CONNECTIONS_FILE_NAME = 'osiris_connections.yaml';

/** Where the connections file was found, and where else was looked. */
export interface FoundFile {
  /** Absolute path of the file found. */
  file: string;
  /** Every path checked, in order, ending with `file`. */
  searched: string[];
}

const isFile = (path: string) =>
  stat(path).then(
    (stats) => stats.isFile(),
    () => false,
  );

/** The places to check, in order. A path the user named is the only place: it never falls back to another file. */
function candidates(path: string | undefined, cwd: string, env: Env): string[] {
  if (path !== undefined) return [resolve(cwd, path)];
  if (env.OSIRIS_CONNECTIONS) return [resolve(cwd, env.OSIRIS_CONNECTIONS)];
  const places = env.OSIRIS_HOME ? [join(resolve(cwd, env.OSIRIS_HOME), CONNECTIONS_FILE_NAME)] : [];
  for (let dir = cwd; ; dir = dirname(dir)) {
    places.push(join(dir, CONNECTIONS_FILE_NAME));
    if (dirname(dir) === dir) return places;
  }
}

/**
 * Finds the connections file: the explicit `path` → `$OSIRIS_CONNECTIONS` → `$OSIRIS_HOME/` →
 * `cwd` and its parents. The first found wins; `CONFIG_NOT_FOUND` lists every place checked.
 */
export async function findConnectionsFile(
  path: string | undefined,
  cwd: string,
  env: Env,
): Promise<FoundFile> {
  const places = candidates(path, cwd, env);
  for (const [index, file] of places.entries()) {
    if (await isFile(file)) return { file, searched: places.slice(0, index + 1) };
  }
  const named =
    path !== undefined ? 'the path given' : env.OSIRIS_CONNECTIONS ? '$OSIRIS_CONNECTIONS' : undefined;
  throw new ConnectorError(
    named
      ? `Connections file not found: ${places[0]} (from ${named})`
      : `No ${CONNECTIONS_FILE_NAME} found; looked in:\n${places.map((place) => `  ${place}`).join('\n')}`,
    {
      code: 'CONFIG_NOT_FOUND',
      category: 'config',
      hint: named
        ? `Check ${named}: it must name an existing file`
        : `Create ${CONNECTIONS_FILE_NAME} in the project directory, or point $OSIRIS_CONNECTIONS at it`,
      details: { searched: places },
    },
  );
}
