import { createResolver, type Env, parseConnections, type Registry } from '../../src/index.js';

export const CONNECTIONS_PATH = '/project/osiris_connections.yaml';

/**
 * core's real resolver over a connections file given as YAML text, or as configs by canonical reference
 * (`{ '@memory.main': { port: 1 } }`, written out as JSON, which is YAML).
 */
export function resolverFor(
  registry: Registry,
  connections: string | Record<string, Record<string, unknown>>,
  env: Env = {},
) {
  const text =
    typeof connections === 'string' ? connections : JSON.stringify({ connections: nest(connections) });
  return createResolver({ registry, connections: parseConnections(text, CONNECTIONS_PATH), env });
}

function nest(byReference: Record<string, Record<string, unknown>>) {
  const families: Record<string, Record<string, unknown>> = {};
  for (const [reference, config] of Object.entries(byReference)) {
    const [family = '', alias = ''] = reference.slice(1).split('.');
    families[family] = { ...families[family], [alias]: config };
  }
  return families;
}
