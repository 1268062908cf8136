import { isMap, isScalar, LineCounter, type Node, parseDocument, type YAMLError, type YAMLMap } from 'yaml';
import { FAMILY_NAME } from '../define-connector.js';
import { ConnectorError } from '../errors.js';
import { maskSourceLine, registerSecretsIn } from '../secrets/mask.js';
import { invalidConfig } from './config-invalid.js';
import type {
  AliasEntry,
  FamilyEntry,
  FieldSource,
  ParsedConnections,
  RawValue,
  ValidationMode,
} from './connections-file.js';
import { formatLocation } from './connections-file.js';
import { checkStructure, LIMITS, quotableLine } from './size-limits.js';
import { createYamlReader, type Entry, type YamlReader } from './yaml-reader.js';

/** Keys any alias may carry for people (as in the original Osiris); removed before validation. */
export const METADATA_KEYS = ['alias', 'description'] as const;

/** How unknown fields are treated: an error (the default), or a warning with the field ignored. */
export const VALIDATION_MODES = ['strict', 'warn'] as const;

/** Alias names: no dot, which separates family and alias in references. */
export const ALIAS_NAME = /^[A-Za-z0-9_][A-Za-z0-9_-]*$/;

const SHAPE_HINT = 'The file looks like: connections: { <family>: { <alias>: { <field>: value } } }';

const PARSE_HINTS: Partial<Record<YAMLError['code'], string>> = {
  TAB_AS_INDENT: 'Indent with spaces: YAML does not allow tabs for indentation',
  DUPLICATE_KEY: 'A key may appear once per mapping: remove or rename the repeated one',
  BAD_INDENT: 'Align the keys of one mapping at the same indentation',
  MULTIPLE_DOCS: 'Keep one YAML document (no second "---") in the connections file',
};

/** `CONFIG_PARSE` for a YAML syntax error, quoting its line and the one before with secrets masked. */
function parseError(error: YAMLError, source: string, lines: LineCounter, file: string): ConnectorError {
  const { line, col } = lines.linePos(error.pos[0]);
  const text = source.split(/\r?\n/);
  const quoted = [line - 1, line]
    .filter((number) => number >= 1)
    .map(
      (number) => `${String(number).padStart(5)} | ${quotableLine(text[number - 1] ?? '', maskSourceLine)}`,
    );
  const quotedWhole = (text[line - 1] ?? '').length <= LIMITS.quotedLineChars;
  const caret = quotedWhole ? [`${' '.repeat(6)}| ${' '.repeat(col - 1)}^`] : [];
  const location = { file, line, column: col };
  const reason = error.message.split('\n')[0]!.slice(0, LIMITS.quotedLineChars);
  return new ConnectorError(
    `${formatLocation(location)}: invalid YAML: ${reason}\n${[...quoted, ...caret].join('\n')}`,
    {
      code: 'CONFIG_PARSE',
      category: 'config',
      hint: PARSE_HINTS[error.code] ?? 'Fix the YAML syntax at this position',
      ...location,
      details: { yamlCode: error.code },
    },
  );
}

/** A mapping node, or null for `key:` with nothing after it; `CONFIG_INVALID` for anything else. */
function mappingOrNull(reader: YamlReader, written: Node | null, what: string): YAMLMap | null {
  const node = reader.follow(written);
  if (isMap(node)) return node;
  if (node === null || (isScalar(node) && node.value === null)) return null;
  throw reader.invalid(node, `${what} must be a mapping`, SHAPE_HINT);
}

function readAlias(reader: YamlReader, family: string, entry: Entry): AliasEntry {
  const reference = `@${family}.${entry.key}`;
  if (!ALIAS_NAME.test(entry.key)) {
    throw invalidConfig(
      entry.location,
      `invalid alias name ${JSON.stringify(entry.key)} in family "${family}"`,
      'Alias names hold letters, digits, "_" and "-" (no dot: it separates family and alias in @family.alias)',
    );
  }
  mappingOrNull(reader, entry.value, reference);
  const fields = new Map<string, FieldSource>();
  const config = (reader.read(entry.value, '', entry.location, fields) ?? {}) as Record<string, RawValue>;
  const flag = config.default;
  delete config.default;
  // The original's metadata keys: they describe the alias to people and mean nothing to a connector.
  for (const key of METADATA_KEYS) {
    delete config[key];
    fields.delete(`/${key}`);
  }
  if (flag !== undefined && (typeof flag !== 'string' || !/^(true|false)$/i.test(flag))) {
    throw invalidConfig(
      fields.get('/default')!.value,
      `${reference}: "default" must be true or false`,
      'Write default: true on the one alias @family should pick',
      reference,
    );
  }
  fields.delete('/default');
  // Secrets written literally in the file are redacted from every message from now on. Text with
  // a ${VAR} in it is a placeholder, not a secret: the resolver registers what it expands to.
  registerSecretsIn(config, [], (value) => !value.includes('${'));
  const isDefault = flag?.toLowerCase() === 'true';
  return { reference, family, alias: entry.key, isDefault, location: entry.location, config, fields };
}

function readFamily(reader: YamlReader, entry: Entry): FamilyEntry {
  if (!FAMILY_NAME.test(entry.key)) {
    throw invalidConfig(
      entry.location,
      `invalid family name ${JSON.stringify(entry.key)}`,
      'Family names are lowercase: a letter, then letters, digits, "_" or "-" (mysql, supabase, filesystem)',
    );
  }
  const node = mappingOrNull(reader, entry.value, `family "${entry.key}"`);
  const aliases = new Map<string, AliasEntry>();
  let firstDefault: AliasEntry | undefined;
  for (const aliasEntry of node === null ? [] : reader.entries(node)) {
    const alias = readAlias(reader, entry.key, aliasEntry);
    if (alias.isDefault && firstDefault !== undefined) {
      throw invalidConfig(
        alias.location,
        `family "${entry.key}" has two aliases with default: true: ${firstDefault.alias} (line ${firstDefault.location.line}) and ${alias.alias} (line ${alias.location.line})`,
        'Keep default: true on one alias only',
        alias.reference,
      );
    }
    if (alias.isDefault) firstDefault = alias;
    aliases.set(alias.alias, alias);
  }
  return { name: entry.key, location: entry.location, aliases };
}

/**
 * Parses the text of a connections file. Syntax errors are `CONFIG_PARSE`; a file of the wrong
 * shape (names, nesting, `default` flags) is `CONFIG_INVALID`. Nothing is interpolated yet.
 */
export function parseConnections(source: string, file: string): ParsedConnections {
  checkStructure(source, file);
  const lines = new LineCounter();
  const document = parseDocument(source, { lineCounter: lines, prettyErrors: false });
  const [error] = document.errors;
  if (error !== undefined) throw parseError(error, source, lines, file);
  const reader = createYamlReader(source, document, lines, file);
  const root = reader.follow(document.contents);
  const families = new Map<string, FamilyEntry>();
  let validation: ValidationMode = 'strict';
  let found = false;
  for (const entry of isMap(root) ? reader.entries(root) : []) {
    if (entry.key === 'validation') {
      validation = readValidation(reader, entry);
    } else if (entry.key === 'connections') {
      found = true;
      const node = mappingOrNull(reader, entry.value, '"connections"');
      for (const familyEntry of node === null ? [] : reader.entries(node)) {
        families.set(familyEntry.key, readFamily(reader, familyEntry));
      }
    } else if (entry.key !== 'version' && !entry.key.startsWith('x-')) {
      throw invalidConfig(
        entry.location,
        `unknown top-level key "${entry.key}"`,
        'The top level holds "connections:", optionally "version:", "validation: strict | warn", and "x-…" keys for YAML anchors',
      );
    }
  }
  if (!found) throw reader.invalid(root, 'no "connections:" section', SHAPE_HINT);
  return { path: file, families, validation };
}

function readValidation(reader: YamlReader, entry: Entry): ValidationMode {
  const node = reader.follow(entry.value);
  const value = isScalar(node) ? String(node.value) : undefined;
  const mode = VALIDATION_MODES.find((known) => known === value);
  if (mode !== undefined) return mode;
  throw invalidConfig(
    node ? reader.locate(node) : entry.location,
    '"validation" must be strict or warn',
    'validation: strict rejects unknown fields (the default); validation: warn reports and ignores them',
  );
}
