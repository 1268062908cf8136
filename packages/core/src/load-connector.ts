import { createRequire } from 'node:module';
import { resolve as resolvePath } from 'node:path';
import { pathToFileURL } from 'node:url';
import { addCommand, connectorPackages, installCommand } from './connector-packages.js';
import type { ConnectorPlugin } from './contract/connector.js';
import { FAMILY_NAME } from './define-connector.js';
import { ConnectorError, isConnectorError } from './errors.js';
import { assertCompatiblePlugin } from './registry.js';

/** Where `loadConnector` looks for packages. */
export interface LoadConnectorOptions {
  /** Directory whose `node_modules` (and its parents') are searched, as Node resolves; default `process.cwd()`. */
  from?: string;
}

/**
 * Imports the plugin of `family` from `@osiris/connector-<family>`, else `osiris-connector-<family>`,
 * resolved as Node would from `from`. Fails with `UNKNOWN_FAMILY` and the install command when neither
 * is installed, `PLUGIN_LOAD_FAILED` when one is installed but cannot be imported, and `PLUGIN_INVALID` /
 * `PLUGIN_INCOMPATIBLE` when its default export is not a plugin for this family and API version.
 */
export async function loadConnector(
  family: string,
  options: LoadConnectorOptions = {},
): Promise<ConnectorPlugin> {
  const from = resolvePath(options.from ?? process.cwd());
  if (!FAMILY_NAME.test(family)) {
    throw new ConnectorError(`${JSON.stringify(family)} is not a connector family name`, {
      code: 'UNKNOWN_FAMILY',
      category: 'config',
      hint: 'A family name starts with a lowercase letter and holds only a-z, 0-9, "_" and "-"',
    });
  }
  // A trailing slash makes the directory itself the base of resolution.
  const require = createRequire(`${from}/`);
  const candidates = connectorPackages(family);
  for (const name of candidates) {
    const entry = resolveEntry(require, name);
    if (entry !== undefined) return importPlugin(name, entry, family);
  }
  throw new ConnectorError(
    `No connector package for family "${family}" is installed (looked for ${candidates.join(' and ')} from ${from})`,
    { code: 'UNKNOWN_FAMILY', category: 'config', hint: `Install it: ${installCommand(family)}` },
  );
}

/** The file a package name resolves to, or undefined when the package itself is not installed. */
function resolveEntry(require: NodeJS.Require, name: string): string | undefined {
  try {
    return require.resolve(name);
  } catch (error) {
    // Only "this package is absent" means not installed; a broken package.json or entry point must be reported.
    const code = (error as { code?: unknown }).code;
    if (code === 'MODULE_NOT_FOUND' && (error as Error).message.startsWith(`Cannot find module '${name}'`)) {
      return undefined;
    }
    throw loadFailed(name, error);
  }
}

async function importPlugin(name: string, entry: string, family: string): Promise<ConnectorPlugin> {
  let exports: { default?: unknown };
  try {
    exports = await import(pathToFileURL(entry).href);
  } catch (error) {
    throw loadFailed(name, error);
  }
  const plugin = exports.default;
  if (plugin === undefined) {
    throw new ConnectorError(`Package ${name} has no default export`, {
      code: 'PLUGIN_INVALID',
      category: 'config',
      hint: 'A connector package exports its plugin as default: export default defineConnector({...})',
    });
  }
  try {
    assertCompatiblePlugin(plugin);
  } catch (error) {
    if (!isConnectorError(error)) throw error;
    // Name the package: the user installed a package, not a family.
    throw new ConnectorError(`Package ${name}: ${error.message}`, {
      code: error.code,
      category: error.category,
      hint: error.hint,
    });
  }
  if (plugin.family !== family) {
    throw new ConnectorError(
      `Package ${name} provides connector family "${plugin.family}", not "${family}"`,
      {
        code: 'PLUGIN_INVALID',
        category: 'config',
        hint: `Reference it as @${plugin.family}.<alias>, or install the package that provides "${family}"`,
      },
    );
  }
  return plugin;
}

function loadFailed(name: string, error: unknown): ConnectorError {
  const reason = error instanceof Error ? error.message : String(error);
  return new ConnectorError(`Connector package ${name} is installed but could not be loaded: ${reason}`, {
    code: 'PLUGIN_LOAD_FAILED',
    category: 'internal',
    hint: `Reinstall it (${addCommand(name)}) and check that it loads on this Node.js version`,
    cause: error,
  });
}
