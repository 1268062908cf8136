import {
  type ConnectionResolver,
  type ConnectionsFile,
  createResolver,
  loadConnections,
  parseReference,
} from '@osiris/core';
import type { CommandContext } from './command-context.js';
import { connectorSearchPaths, type LoadedFamilies, loadFamilies } from './connector-loader.js';

/** The connections file, the connectors it needs, and a resolver over both. */
export interface Session extends LoadedFamilies {
  connections: ConnectionsFile;
  resolver: ConnectionResolver;
  /** Where connector packages are looked for. */
  searchPaths: string[];
}

/**
 * Loads the connections file (honouring `--config` and `--env-file`) and the connector packages
 * of the families that `references` name (default: every family in the file). Families whose
 * package is missing are recorded in `failures`; the others work.
 */
export async function openSession(
  { commandLine, io }: CommandContext,
  references?: readonly string[],
): Promise<Session> {
  const { config, envFiles } = commandLine.global;
  const connections = await loadConnections({ path: config, cwd: io.cwd, env: io.env, envFiles });
  const families =
    references?.map((reference) => parseReference(reference).family) ?? connections.families.keys();
  const searchPaths = connectorSearchPaths(connections.path, io.cwd);
  const loaded = await loadFamilies(families, searchPaths);
  const resolver = createResolver({ registry: loaded.registry, connections });
  return { ...loaded, connections, resolver, searchPaths };
}
