import {
  ConnectorError,
  type Registry,
  type ResolvedConnection,
  type Resolver,
  registerSecret,
} from '../../src/index.js';

/**
 * A hand-written Resolver for runtime tests: configs given inline by canonical reference (or an error
 * to throw for it, standing in for MISSING_ENV and the like). `@family` resolves to the family's only
 * alias. Declared secret values are registered for redaction, as the real resolver does.
 */
export function staticResolver(
  registry: Registry,
  connections: Record<string, Record<string, unknown> | ConnectorError>,
): Resolver {
  const canonical = (reference: string) => {
    if (reference in connections) return reference;
    const aliases = Object.keys(connections).filter((key) => key.startsWith(`${reference}.`));
    if (aliases.length === 1 && aliases[0] !== undefined) return aliases[0];
    throw new ConnectorError(`Unknown reference ${reference}`, {
      code: 'UNKNOWN_ALIAS',
      category: 'config',
      reference,
    });
  };
  return {
    resolve(reference): ResolvedConnection {
      const name = canonical(reference);
      const entry = connections[name];
      if (entry instanceof Error) throw entry;
      const [family = '', alias = ''] = name.slice(1).split('.');
      const plugin = registry.get(family);
      const parsed = plugin.configSchema.safeParse(entry);
      if (!parsed.success) {
        throw new ConnectorError(`Invalid config for ${name}: ${parsed.error.message}`, {
          code: 'CONFIG_INVALID',
          category: 'config',
          reference: name,
        });
      }
      const config = parsed.data as Record<string, unknown>;
      for (const pointer of plugin.secrets ?? []) registerSecret(config[pointer.slice(1)]);
      return { reference: name, family, alias, config };
    },
    references: () => Object.keys(connections).sort(),
  };
}
