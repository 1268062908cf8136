import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type ConnectorError,
  type ConnectorPlugin,
  connectorPackages,
  createRegistry,
  isConnectorError,
  loadConnector,
  type Registry,
  toConnectorError,
} from '@osiris/core';

/** This package's directory: connectors installed next to the CLI (e.g. globally) are found from here. */
const CLI_DIR = fileURLToPath(new URL('..', import.meta.url));

/**
 * Where connector packages are looked for, in order: the connections file's directory, the
 * working directory, then the CLI's own install location.
 */
export function connectorSearchPaths(configFile: string | undefined, cwd: string): string[] {
  const paths = [configFile === undefined ? undefined : dirname(resolve(cwd, configFile)), cwd, CLI_DIR];
  return [
    ...new Set(paths.filter((path): path is string => path !== undefined).map((path) => resolve(path))),
  ];
}

/**
 * Loads a family's plugin from the first search path that has it. When none has it, the error
 * from the first path is thrown (it names the install command); a package that is there but
 * broken or incompatible is reported at once.
 */
export async function loadFamily(family: string, searchPaths: readonly string[]): Promise<ConnectorPlugin> {
  let notInstalled: ConnectorError | undefined;
  for (const from of searchPaths) {
    try {
      return await loadConnector(family, { from });
    } catch (error) {
      if (!isConnectorError(error) || error.code !== 'UNKNOWN_FAMILY') throw error;
      notInstalled ??= error;
    }
  }
  throw notInstalled;
}

/** A registry of every family that loads, and why each other one did not. */
export interface LoadedFamilies {
  registry: Registry;
  failures: Map<string, ConnectorError>;
}

/** Loads several families concurrently; one missing package never stops the others. */
export async function loadFamilies(
  families: Iterable<string>,
  searchPaths: readonly string[],
): Promise<LoadedFamilies> {
  const registry = createRegistry();
  const failures = new Map<string, ConnectorError>();
  const unique = [...new Set(families)].sort();
  const outcomes = await Promise.allSettled(unique.map((family) => loadFamily(family, searchPaths)));
  outcomes.forEach((outcome, index) => {
    const family = unique[index]!;
    if (outcome.status === 'fulfilled') registry.register(outcome.value);
    else failures.set(family, toConnectorError(outcome.reason));
  });
  return { registry, failures };
}

/** The npm package a family's plugin is loaded from. */
export interface ConnectorPackage {
  name: string;
  version: string;
}

/**
 * Which package `loadFamily` finds for a family, with its version: the same search (paths in
 * order, core's candidate names in order), reading the package.json above the resolved entry.
 */
export async function findConnectorPackage(
  family: string,
  searchPaths: readonly string[],
): Promise<ConnectorPackage | undefined> {
  for (const from of searchPaths) {
    const require = createRequire(`${from}/`);
    for (const name of connectorPackages(family)) {
      let entry: string;
      try {
        entry = require.resolve(name);
      } catch {
        continue;
      }
      return readManifest(name, dirname(entry));
    }
  }
  return undefined;
}

async function readManifest(name: string, start: string): Promise<ConnectorPackage | undefined> {
  for (let dir = start; dirname(dir) !== dir; dir = dirname(dir)) {
    const manifest = await readFile(join(dir, 'package.json'), 'utf8').then(JSON.parse, () => undefined);
    if (manifest?.name === name) return { name, version: String(manifest.version) };
  }
  return undefined;
}
