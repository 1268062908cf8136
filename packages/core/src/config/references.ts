import { FAMILY_NAME } from '../define-connector.js';
import { ConnectorError } from '../errors.js';
import type { AliasEntry, ParsedConnections } from './connections-file.js';
import { closest } from './did-you-mean.js';
import { ALIAS_NAME } from './parse-connections.js';

/** The parts of `@family.alias` (alias undefined for `@family`). */
export interface ParsedReference {
  /** Family name. */
  family: string;
  /** Alias name; undefined when the reference names the family's default alias. */
  alias: string | undefined;
}

const FORMAT_HINT = 'A reference is @family.alias (e.g. @mysql.main), or @family for its default alias';

/** A reference shown in a message: quoted, and cut short if it is long. */
const quote = (text: string) => JSON.stringify(text.length > 80 ? `${text.slice(0, 80)}…` : text);

function invalid(reference: unknown, reason: string): ConnectorError {
  const shown = typeof reference === 'string' ? quote(reference) : typeof reference;
  return new ConnectorError(`Invalid connection reference ${shown}: ${reason}`, {
    code: 'INVALID_REFERENCE',
    category: 'config',
    hint: FORMAT_HINT,
  });
}

/** Splits `@family.alias` / `@family`; throws `INVALID_REFERENCE` for anything else. */
export function parseReference(reference: unknown): ParsedReference {
  if (typeof reference !== 'string') throw invalid(reference, 'a reference is a string');
  if (!reference.startsWith('@')) throw invalid(reference, 'a reference starts with "@"');
  const [family = '', alias, ...rest] = reference.slice(1).split('.');
  if (!FAMILY_NAME.test(family)) {
    throw invalid(reference, 'the family is lowercase letters, digits, "_" and "-", starting with a letter');
  }
  if (rest.length > 0 || (alias !== undefined && !ALIAS_NAME.test(alias))) {
    throw invalid(reference, 'the alias is letters, digits, "_" and "-", after a single "."');
  }
  return { family, alias };
}

const listed = (names: Iterable<string>) => [...names].join(', ') || 'none';

/** The alias `@family` stands for: `default: true`, else the alias named `default`, else the only alias. */
function defaultAlias(family: string, aliases: ReadonlyMap<string, AliasEntry>): AliasEntry {
  const chosen =
    [...aliases.values()].find((entry) => entry.isDefault) ??
    aliases.get('default') ??
    (aliases.size === 1 ? [...aliases.values()][0] : undefined);
  if (chosen !== undefined) return chosen;
  throw new ConnectorError(`Family "${family}" has no default alias (aliases: ${listed(aliases.keys())})`, {
    code: 'NO_DEFAULT_ALIAS',
    category: 'config',
    reference: `@${family}`,
    hint: `Name one explicitly (@${family}.<alias>), or mark one alias with default: true`,
    details: { aliases: [...aliases.keys()] },
  });
}

/** The alias a reference names in `connections`; throws UNKNOWN_FAMILY, UNKNOWN_ALIAS or NO_DEFAULT_ALIAS. */
export function findAlias(connections: ParsedConnections, reference: string): AliasEntry {
  const { family, alias } = parseReference(reference);
  const entry = connections.families.get(family);
  if (entry === undefined) {
    const families = [...connections.families.keys()];
    const suggestion = closest(family, families);
    throw new ConnectorError(`No family "${family}" in ${connections.path} (families: ${listed(families)})`, {
      code: 'UNKNOWN_FAMILY',
      category: 'config',
      reference,
      hint: suggestion
        ? `Did you mean @${suggestion}?`
        : `Add a "${family}:" section under connections:, or use one of the families listed`,
      details: { families },
    });
  }
  if (alias === undefined) return defaultAlias(family, entry.aliases);
  const found = entry.aliases.get(alias);
  if (found !== undefined) return found;
  const aliases = [...entry.aliases.keys()];
  const suggestion = closest(alias, aliases);
  throw new ConnectorError(
    `No alias "${alias}" in family "${family}" in ${connections.path} (aliases: ${listed(aliases)})`,
    {
      code: 'UNKNOWN_ALIAS',
      category: 'config',
      reference,
      hint: suggestion
        ? `Did you mean @${family}.${suggestion}?`
        : `Use one of the aliases listed, or @${family} for the family's default alias`,
      details: { aliases },
    },
  );
}
