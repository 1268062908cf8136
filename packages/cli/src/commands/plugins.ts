import { type ConnectorError, type ConnectorPlugin, isConnectorError } from '@osiris/core';
import type { CommandContext } from '../command-context.js';
import { connectorSearchPaths, findConnectorPackage, loadFamilies } from '../connector-loader.js';
import { EXIT } from '../exit-codes.js';
import { renderTable } from '../output/table.js';
import { openSession } from '../session.js';

/** First-party families, listed even when no connections file names them. */
const FIRST_PARTY_FAMILIES = ['filesystem', 'mysql', 'postgres', 'supabase'];

/** `plugins`: for the first-party families and those in the connections file, what is installed. */
export async function run(context: CommandContext): Promise<number> {
  const { families, searchPaths } = await familiesInUse(context);
  const { registry, failures } = await loadFamilies(families, searchPaths);
  const installed = await Promise.all(
    registry.list().map(async (plugin) => ({
      ...(await findConnectorPackage(plugin.family, searchPaths)),
      ...describePlugin(plugin),
    })),
  );
  const missing = [...failures].map(([family, error]) => describeFailure(family, error));
  const { output } = context;
  if (output.json) {
    output.printJson({ plugins: installed, missing });
    return EXIT.ok;
  }
  const { style } = output;
  const rows = [
    ...installed.map((plugin) => [
      style.green('✓'),
      plugin.family,
      plugin.name ? `${plugin.name}@${plugin.version}` : '(package unknown)',
      `api ${plugin.apiVersion}`,
      plugin.capabilities.join(', '),
    ]),
    ...missing.map((plugin) => [
      style.red('✗'),
      plugin.family,
      'not installed',
      '',
      `${plugin.message}${plugin.hint ? `\n${style.yellow('hint:')} ${plugin.hint}` : ''}`,
    ]),
  ];
  for (const line of renderTable(rows, '  ')) output.print(line);
  return EXIT.ok;
}

/** The families to look for, and where: with a connections file, its families too and its directory first. */
async function familiesInUse(context: CommandContext) {
  const explicit = context.commandLine.global.config !== undefined;
  try {
    const session = await openSession(context, []);
    return {
      families: [...new Set([...FIRST_PARTY_FAMILIES, ...session.connections.families.keys()])],
      searchPaths: session.searchPaths,
    };
  } catch (error) {
    // No connections file is fine here, unless the user named one.
    if (explicit || !isConnectorError(error) || error.code !== 'CONFIG_NOT_FOUND') throw error;
    return { families: FIRST_PARTY_FAMILIES, searchPaths: connectorSearchPaths(undefined, context.io.cwd) };
  }
}

const describePlugin = (plugin: ConnectorPlugin) => ({
  family: plugin.family,
  apiVersion: plugin.apiVersion,
  capabilities: [...plugin.capabilities],
  secrets: [...(plugin.secrets ?? [])],
});

const describeFailure = (family: string, error: ConnectorError) => ({
  family,
  code: error.code,
  message: error.message,
  ...(error.hint ? { hint: error.hint } : {}),
});
