import type { z } from 'zod';
import { configJsonSchema } from './config-fields.js';
import type { Connection } from './contract/connection.js';
import type { ConnectorDefinition, ConnectorPlugin } from './contract/connector.js';
import { ConnectorError } from './errors.js';

/** What a family name may look like: it becomes part of references and package names. */
export const FAMILY_NAME = /^[a-z][a-z0-9_-]*$/;

const invalidPlugin = (message: string, hint: string) =>
  new ConnectorError(message, { code: 'PLUGIN_INVALID', category: 'config', hint });

/** Validates a connector definition and returns it as a frozen plugin. */
export function defineConnector<TSchema extends z.ZodType, TConnection extends Connection>(
  definition: ConnectorDefinition<TSchema, TConnection>,
): ConnectorPlugin<TSchema, TConnection> {
  assertValidDefinition(definition);
  const plugin: ConnectorPlugin<TSchema, TConnection> = {
    ...definition,
    secrets: Object.freeze([...(definition.secrets ?? [])]),
    capabilities: Object.freeze([...definition.capabilities]),
    jsonSchema: () => configJsonSchema(definition.configSchema),
  };
  return Object.freeze(plugin);
}

/** Throws `PLUGIN_INVALID` unless `value` has the shape of a connector definition (or plugin). */
export function assertValidDefinition(value: unknown): asserts value is ConnectorDefinition {
  if (value === null || typeof value !== 'object') {
    throw invalidPlugin('A connector plugin must be an object', 'Export the result of defineConnector()');
  }
  const candidate = value as Partial<ConnectorDefinition>;
  if (typeof candidate.family !== 'string' || !FAMILY_NAME.test(candidate.family)) {
    throw invalidPlugin(
      `Invalid connector family name ${JSON.stringify(candidate.family)}`,
      'A family name starts with a lowercase letter and holds only a-z, 0-9, "_" and "-"',
    );
  }
  if (!Number.isInteger(candidate.apiVersion)) {
    throw invalidPlugin(
      `Connector "${candidate.family}" has no integer apiVersion`,
      'Set apiVersion: API_VERSION',
    );
  }
  // Duck-typed rather than instanceof: a plugin may carry its own copy of zod 4.
  if (typeof (candidate.configSchema as { _zod?: unknown } | undefined)?._zod !== 'object') {
    throw invalidPlugin(
      `Connector "${candidate.family}" has no zod configSchema`,
      'Pass a zod 4 schema as configSchema',
    );
  }
  if (typeof candidate.connect !== 'function') {
    throw invalidPlugin(
      `Connector "${candidate.family}" has no connect()`,
      'Implement connect(config, context)',
    );
  }
  if (!Array.isArray(candidate.capabilities)) {
    throw invalidPlugin(
      `Connector "${candidate.family}" has no capabilities list`,
      "Declare e.g. ['read', 'write']",
    );
  }
  for (const pointer of candidate.secrets ?? []) {
    if (typeof pointer !== 'string' || !pointer.startsWith('/')) {
      throw invalidPlugin(
        `Connector "${candidate.family}" declares secret ${JSON.stringify(pointer)}, which is not a JSON Pointer`,
        'Declare secrets as JSON Pointers such as "/password"',
      );
    }
  }
}
