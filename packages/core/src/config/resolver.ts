import { dirname } from 'node:path';
import type { ConnectorPlugin } from '../contract/connector.js';
import type { Registry } from '../contract/registry.js';
import type {
  ConfigWarning,
  ConnectionResolver,
  ExplainedConnection,
  RawConnection,
  ResolvedConnection,
  ValueOrigin,
  VariableUse,
} from '../contract/resolver.js';
import { isConnectorError } from '../errors.js';
import { registerSecret } from '../redaction.js';
import { maskConfig, maskString, registerSecretsIn, secretsIn } from '../secrets/mask.js';
import { printMasked } from '../secrets/masked-output.js';
import { isSecretField } from '../secrets/secret-names.js';
import type { AliasEntry, ConnectionsFile, Env, ParsedConnections } from './connections-file.js';
import { type Expansion, expand, lookup } from './interpolation.js';
import { findAlias } from './references.js';
import {
  describeSite,
  type Expression,
  expressionsOf,
  locate,
  parseTemplate,
  referencePrefix,
  type TextSite,
} from './template.js';
import { mapLeaves } from './tree.js';
import { validateConfig } from './validate-config.js';

/** What `createResolver` needs. */
export interface ResolverOptions {
  /** The families the application knows; each alias is validated by its family's schema. */
  registry: Registry;
  /** A loaded (`loadConnections`) or parsed (`parseConnections`) connections file. */
  connections: ParsedConnections & Partial<Pick<ConnectionsFile, 'env' | 'envOrigins'>>;
  /** Environment to interpolate with (default: the file's `env`, else `process.env`). */
  env?: Env;
}

/** One alias interpolated and validated, with what was read for each field. */
interface Resolution {
  entry: AliasEntry;
  plugin: ConnectorPlugin;
  config: unknown;
  expansions: Map<string, Expansion>;
  warnings: ConfigWarning[];
}

/**
 * Resolves `@family.alias` references against a connections file: interpolation, default-alias
 * rules and the connector's schema. Each alias is resolved lazily, so one broken alias never
 * affects the others. Every secret value produced is registered for redaction before anything
 * can be thrown or returned.
 */
export function createResolver(options: ResolverOptions): ConnectionResolver {
  const { registry, connections } = options;
  const env = options.env ?? connections.env ?? process.env;
  const envOrigins = options.env === undefined ? connections.envOrigins : undefined;

  const pluginFor = (entry: AliasEntry) => {
    try {
      return registry.get(entry.family);
    } catch (error) {
      throw isConnectorError(error) ? error.withReference(entry.reference) : error;
    }
  };

  const declaredSecrets = (family: string) =>
    registry.has(family) ? (registry.get(family).secrets ?? []) : [];

  const siteOf = (entry: AliasEntry, field: string): TextSite => ({
    reference: entry.reference,
    field,
    source: entry.fields.get(field),
  });

  const variableUse = (entry: AliasEntry, field: string, expression: Expression): VariableUse => {
    const set = lookup(env, expression.name) !== undefined;
    const location = locate(siteOf(entry, field), expression.start) ?? entry.location;
    const source = set ? (envOrigins?.get(expression.name) ?? 'environment') : undefined;
    return { name: expression.name, field, location, set, ...(source && { source }) };
  };

  const interpolateAlias = (entry: AliasEntry, secrets: readonly string[]) => {
    const expansions = new Map<string, Expansion>();
    let failure: unknown;
    const config = mapLeaves(entry.config, (leaf, field) => {
      if (typeof leaf !== 'string') return leaf;
      try {
        const expansion = expand(leaf, env, siteOf(entry, field));
        const secret = isSecretField(field, secrets);
        const values = secretsIn(expansion.value, secret);
        if (secret) values.push(...expansion.reads.flatMap((read) => read.value ?? []));
        for (const value of values) registerSecret(value);
        expansions.set(field, expansion);
        return expansion.value;
      } catch (error) {
        // Keep interpolating, so every secret of the alias is registered before the first error is thrown.
        failure ??= error;
        return leaf;
      }
    });
    if (failure !== undefined) throw failure;
    return { config, expansions };
  };

  const resolution = (reference: string): Resolution => {
    const entry = findAlias(connections, reference);
    const plugin = pluginFor(entry);
    const secrets = plugin.secrets ?? [];
    const { config, expansions } = interpolateAlias(entry, secrets);
    const validated = validateConfig(plugin, entry, config, connections.validation);
    registerSecretsIn(validated.config, secrets);
    const { warnings } = validated;
    return { entry, plugin, config: printMasked(validated.config, secrets), expansions, warnings };
  };

  const resolve = (reference: string): ResolvedConnection => {
    const { entry, config, warnings } = resolution(reference);
    return {
      reference: entry.reference,
      family: entry.family,
      alias: entry.alias,
      config: config as Record<string, unknown>,
      configDir: dirname(connections.path),
      ...(warnings.length > 0 && { warnings }),
    };
  };

  const references = () =>
    [...connections.families.values()]
      .flatMap((family) => [...family.aliases.values()].map((alias) => alias.reference))
      .sort();

  const raw = (reference: string): RawConnection => {
    const entry = findAlias(connections, reference);
    const secrets = declaredSecrets(entry.family);
    const variables: VariableUse[] = [];
    const warnings: ConfigWarning[] = [];
    const config = mapLeaves(entry.config, (leaf, field) => {
      if (typeof leaf !== 'string') return leaf;
      const site = siteOf(entry, field);
      const location = site.source?.value ?? entry.location;
      try {
        for (const expression of expressionsOf(parseTemplate(leaf, site))) {
          variables.push(variableUse(entry, field, expression));
        }
      } catch (error) {
        // raw() is what `show` falls back on for a broken alias: report, do not throw.
        if (!isConnectorError(error)) throw error;
        warnings.push({ code: error.code, field, location, message: error.message });
      }
      const masked = maskString(leaf, isSecretField(field, secrets));
      if (masked !== leaf) {
        warnings.push({
          code: 'LITERAL_SECRET',
          field,
          location,
          message: `${referencePrefix(site)}${describeSite(site, location)} holds a secret written in the file; put it in an environment variable and write \${VAR}`,
        });
      }
      return masked;
    });
    const { family, alias, isDefault, location } = entry;
    return {
      reference: entry.reference,
      family,
      alias,
      isDefault,
      location,
      config: config as Record<string, unknown>,
      variables,
      warnings,
    };
  };

  const explain = (reference: string): ExplainedConnection => {
    const { entry, plugin, config, expansions } = resolution(reference);
    const fields: ValueOrigin[] = [];
    mapLeaves(maskConfig(config, { secrets: plugin.secrets ?? [], placeholders: false }), (value, field) => {
      if (value === undefined) return; // a field the schema dropped (field.ignored)
      const source = entry.fields.get(field);
      const expansion = expansions.get(field);
      fields.push({
        field,
        value,
        from: source === undefined ? 'schema' : (expansion?.from ?? 'file'),
        ...(source && { location: source.value }),
        variables: expansion?.reads.map((read) => variableUse(entry, field, read.expression)) ?? [],
      });
    });
    return {
      reference: entry.reference,
      family: entry.family,
      alias: entry.alias,
      location: entry.location,
      fields,
    };
  };

  return { resolve, references, raw, explain };
}
