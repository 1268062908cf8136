import type { Connection } from './contract/connection.js';
import type { ConnectorPlugin } from './contract/connector.js';
import type { Registry } from './contract/registry.js';
import type { ResolvedConnection, Resolver } from './contract/resolver.js';
import {
  type ConnectorError,
  type ConnectorErrorOptions,
  isConnectorError,
  toConnectorError,
} from './errors.js';

/** Resolves a reference; whatever the resolver throws comes back as a `ConnectorError` naming the reference. */
export function resolveReference(resolver: Resolver, reference: string): ResolvedConnection {
  try {
    return resolver.resolve(reference);
  } catch (error) {
    throw naming(reference, toConnectorError(error));
  }
}

/** Opens a resolved connection with its family's plugin; a failure comes back classified and naming the reference. */
export async function openConnection(registry: Registry, resolved: ResolvedConnection): Promise<Connection> {
  let plugin: ConnectorPlugin;
  try {
    plugin = registry.get(resolved.family);
  } catch (error) {
    throw naming(resolved.reference, toConnectorError(error));
  }
  try {
    return await plugin.connect(resolved.config, { reference: resolved.reference, alias: resolved.alias });
  } catch (error) {
    throw classifyPluginError(plugin, error, {
      code: 'CONNECT_FAILED',
      category: 'internal',
    }).withReference(resolved.reference);
  }
}

/**
 * Turns what a plugin threw into a `ConnectorError`: its own `ConnectorError` as is, else what its
 * `classifyError` makes of it, else a wrapper built from `fallback` (a throwing classifier counts as none).
 */
export function classifyPluginError(
  plugin: ConnectorPlugin,
  error: unknown,
  fallback: Omit<ConnectorErrorOptions, 'cause'>,
): ConnectorError {
  if (isConnectorError(error)) return error;
  let classified: ConnectorError | undefined;
  try {
    classified = plugin.classifyError?.(error);
  } catch {
    classified = undefined;
  }
  return isConnectorError(classified) ? classified : toConnectorError(error, fallback);
}

/** The error with `reference` set, unless it already names one (e.g. the canonical form of `@family`). */
const naming = (reference: string, error: ConnectorError) =>
  error.reference === undefined ? error.withReference(reference) : error;
