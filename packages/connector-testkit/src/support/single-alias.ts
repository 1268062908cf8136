import {
  type ConnectionResolver,
  type ConnectorPlugin,
  createRegistry,
  createResolver,
  parseConnections,
  type Registry,
} from '@osiris/core';
import type { WrittenConfig } from '../types.js';

/** One alias, resolved by core's real resolver. */
export interface SingleAlias {
  /** A registry holding only the plugin under test. */
  registry: Registry;
  /** Resolves `reference` from a connections file holding that one alias. */
  resolver: ConnectionResolver;
  /** `@<family>.testkit`. */
  reference: string;
}

const SECRET_VARIABLE = 'OSIRIS_TESTKIT_SECRET';

/**
 * A connections file with one alias of the plugin's family, resolved the way an application resolves
 * it (interpolated, validated, secrets registered for redaction). `secret` is written as
 * `${OSIRIS_TESTKIT_SECRET}` wherever it occurs, as users keep secrets out of the file.
 */
export function singleAlias(plugin: ConnectorPlugin, config: WrittenConfig, secret?: string): SingleAlias {
  const written = secret === undefined ? config : withPlaceholder(config, secret);
  const file = `/osiris-testkit/${plugin.family}/osiris_connections.yaml`;
  // JSON is YAML, so the file needs no YAML writer.
  const connections = parseConnections(
    JSON.stringify({ connections: { [plugin.family]: { testkit: written } } }),
    file,
  );
  const registry = createRegistry([plugin]);
  const env = secret === undefined ? {} : { [SECRET_VARIABLE]: secret };
  return {
    registry,
    resolver: createResolver({ registry, connections, env }),
    reference: `@${plugin.family}.testkit`,
  };
}

function withPlaceholder(value: unknown, secret: string): WrittenConfig {
  const replace = (item: unknown): unknown => {
    if (typeof item === 'string') return item.split(secret).join(`\${${SECRET_VARIABLE}}`);
    if (Array.isArray(item)) return item.map(replace);
    if (item !== null && typeof item === 'object') {
      return Object.fromEntries(Object.entries(item).map(([key, inner]) => [key, replace(inner)]));
    }
    return item;
  };
  return replace(value) as WrittenConfig;
}
