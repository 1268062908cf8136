import { installCommand } from './connector-packages.js';
import { API_VERSION, type ConnectorPlugin } from './contract/connector.js';
import type { Registry } from './contract/registry.js';
import { assertValidDefinition } from './define-connector.js';
import { ConnectorError } from './errors.js';

/** A registry holding `plugins`; more can be added with `register`. */
export function createRegistry(plugins: Iterable<ConnectorPlugin> = []): Registry {
  const byFamily = new Map<string, ConnectorPlugin>();

  const registry: Registry = {
    register(plugin) {
      assertCompatiblePlugin(plugin);
      if (byFamily.has(plugin.family)) {
        throw new ConnectorError(`Connector family "${plugin.family}" is already registered`, {
          code: 'DUPLICATE_FAMILY',
          category: 'config',
          hint: 'Register each family once: two packages may be providing the same family',
        });
      }
      byFamily.set(plugin.family, plugin);
    },
    get(family) {
      const plugin = byFamily.get(family);
      if (plugin !== undefined) return plugin;
      const known = [...byFamily.keys()].sort();
      throw new ConnectorError(
        `No connector is registered for family "${family}" (registered: ${known.length > 0 ? known.join(', ') : 'none'})`,
        {
          code: 'UNKNOWN_FAMILY',
          category: 'config',
          hint: `Install it with \`${installCommand(family)}\` and register it, or load it with loadConnector(${JSON.stringify(family)})`,
        },
      );
    },
    has: (family) => byFamily.has(family),
    list: () =>
      [...byFamily.values()].sort((a, b) => (a.family < b.family ? -1 : a.family > b.family ? 1 : 0)),
  };
  for (const plugin of plugins) registry.register(plugin);
  return registry;
}

/** Throws unless `value` is a plugin this build of core can run: made by `defineConnector`, for `API_VERSION`. */
export function assertCompatiblePlugin(value: unknown): asserts value is ConnectorPlugin {
  assertValidDefinition(value);
  if (typeof (value as Partial<ConnectorPlugin>).jsonSchema !== 'function') {
    throw new ConnectorError(`Connector "${value.family}" is a bare definition, not a plugin`, {
      code: 'PLUGIN_INVALID',
      category: 'config',
      hint: 'Pass the result of defineConnector({...}), not the object given to it',
    });
  }
  if (value.apiVersion !== API_VERSION) {
    throw new ConnectorError(
      `Connector "${value.family}" was built for plugin API version ${value.apiVersion}, but this @osiris/core speaks version ${API_VERSION}`,
      {
        code: 'PLUGIN_INCOMPATIBLE',
        category: 'config',
        hint:
          value.apiVersion > API_VERSION
            ? `Upgrade @osiris/core to a release that speaks plugin API version ${value.apiVersion}`
            : `Upgrade the connector to a release built for plugin API version ${API_VERSION}`,
      },
    );
  }
}
