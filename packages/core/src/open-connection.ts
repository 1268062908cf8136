/**
 * Opening a resolved connection with its plugin: the one place where what a plugin's `connect()`
 * and `check()` throw becomes a classified `ConnectorError` naming the reference.
 */
import type { CheckOptions, CheckReport, Connection } from './contract/connection.js';
import type { ConnectContext, ConnectorPlugin } from './contract/connector.js';
import type { Registry } from './contract/registry.js';
import type { ResolvedConnection, Resolver } from './contract/resolver.js';
import {
  type ConnectorError,
  type ConnectorErrorOptions,
  isConnectorError,
  toConnectorError,
} from './errors.js';

/** What the caller of `openConnection` can tell the plugin's `connect()`. */
export interface OpenOptions {
  /** Aborted when the caller stops waiting for the connection. */
  signal?: AbortSignal;
  /** `Date.now()` value by which the caller wants `connect()` settled. */
  deadline?: number;
}

/** Resolves a reference; whatever the resolver throws comes back as a `ConnectorError` naming the reference. */
export function resolveReference(resolver: Resolver, reference: string): ResolvedConnection {
  try {
    return resolver.resolve(reference);
  } catch (error) {
    throw naming(reference, toConnectorError(error));
  }
}

/**
 * Opens a resolved connection with its family's plugin; a failure comes back classified and naming
 * the reference. The connection's `check()` is routed the same way, so a direct `check()` and
 * doctor's report the same `ConnectorError`.
 */
export async function openConnection(
  registry: Registry,
  resolved: ResolvedConnection,
  options: OpenOptions = {},
): Promise<Connection> {
  let plugin: ConnectorPlugin;
  try {
    plugin = registry.get(resolved.family);
  } catch (error) {
    throw naming(resolved.reference, toConnectorError(error));
  }
  const context: ConnectContext = {
    reference: resolved.reference,
    alias: resolved.alias,
    signal: options.signal ?? new AbortController().signal,
    ...(options.deadline !== undefined && { deadline: options.deadline }),
    configDir: resolved.configDir ?? process.cwd(),
  };
  let connection: Connection;
  try {
    connection = await plugin.connect(resolved.config, context);
  } catch (error) {
    throw classifyPluginError(plugin, error, {
      code: 'CONNECT_FAILED',
      category: 'internal',
    }).withReference(resolved.reference);
  }
  return classifyingChecks(connection, plugin, resolved.reference);
}

/**
 * The connection, with `check()` errors classified by the plugin and naming the reference. Every
 * other member is the connection's own, bound to it (class connections keep their private fields).
 */
function classifyingChecks(connection: Connection, plugin: ConnectorPlugin, reference: string): Connection {
  if (connection === null || typeof connection !== 'object') return connection;
  const bound = new Map<PropertyKey, { original: unknown; wrapped: unknown }>();
  const check = async (options?: CheckOptions): Promise<CheckReport> => {
    try {
      return await connection.check(options);
    } catch (error) {
      throw classifyPluginError(plugin, error, { code: 'CHECK_FAILED', category: 'internal' }).withReference(
        reference,
      );
    }
  };
  return new Proxy(connection, {
    get(target, property) {
      const original: unknown = Reflect.get(target, property, target);
      if (typeof original !== 'function') return original;
      let entry = bound.get(property);
      if (entry?.original !== original) {
        entry = { original, wrapped: property === 'check' ? check : original.bind(target) };
        bound.set(property, entry);
      }
      return entry.wrapped;
    },
  });
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
