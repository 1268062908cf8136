import { z } from 'zod';
import { ignoredReason } from '../config-fields.js';
import type { ConnectorPlugin } from '../contract/connector.js';
import type { ConfigWarning, SourceLocation } from '../contract/resolver.js';
import { ConnectorError, isConnectorError } from '../errors.js';
import { childPointer, pointerSegments } from '../secrets/secret-names.js';
import type { AliasEntry, ValidationMode } from './connections-file.js';
import { formatLocation } from './connections-file.js';
import { closest } from './did-you-mean.js';
import { fieldLabel } from './template.js';

/** One problem the connector's schema found. */
interface Problem {
  /** JSON Pointer of the field. */
  field: string;
  /** What is wrong, for a person: `unknown field "hots"`, `field "port": Expected an integer`. */
  message: string;
  /** Whether the field is not one the schema knows. */
  unknown: boolean;
  /** Where the field (or the nearest enclosing one) is written. */
  location: SourceLocation;
}

/** A plain `z.object` strips unknown keys silently; the resolver rejects them instead (loose objects stay loose). */
function rejectingUnknownKeys(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodObject && schema.def.catchall === undefined ? schema.strict() : schema;
}

/** zod 4's internal definition, read structurally so a plugin's own copy of zod works too. */
interface SchemaDef {
  type: string;
  shape?: Record<string, unknown>;
  in?: z.ZodType;
  innerType?: z.ZodType;
}

/** The shape of the object a user writes, looking through pipes, transforms, defaults and optionals. */
function shapeOf(schema: z.ZodType): Record<string, unknown> {
  const def = (schema as unknown as { _zod: { def: SchemaDef } })._zod.def;
  if (def.type === 'object' && def.shape !== undefined) return def.shape;
  const inner = def.type === 'pipe' ? def.in : def.innerType;
  return inner === undefined ? {} : shapeOf(inner);
}

const knownFields = (schema: z.ZodType) => Object.keys(shapeOf(schema));

/** An `IGNORED_FIELD` warning for each `field.ignored` key the alias writes. */
function ignoredFields(schema: z.ZodType, entry: AliasEntry): ConfigWarning[] {
  return Object.entries(shapeOf(schema)).flatMap(([key, fieldSchema]) => {
    const reason = ignoredReason(fieldSchema);
    const source = entry.fields.get(childPointer('', key));
    if (reason === undefined || source === undefined) return [];
    return [
      {
        code: 'IGNORED_FIELD',
        field: childPointer('', key),
        location: source.key,
        message: `${entry.reference}: field "${key}" is ignored (${formatLocation(source.key)}): ${reason}`,
      },
    ];
  });
}

/** Where `pointer` (or, when it is not written, the nearest field around it) is written. */
function locationOf(entry: AliasEntry, pointer: string, part: 'key' | 'value'): SourceLocation {
  for (let current = pointer; current !== ''; current = current.slice(0, current.lastIndexOf('/'))) {
    const source = entry.fields.get(current);
    if (source !== undefined) return source[part];
  }
  return entry.location;
}

/** A union's "Invalid input" says little: prefer the message of a branch whose type matched (`Expected an integer`). */
function messageOf(issue: z.core.$ZodIssue): string {
  if (issue.code !== 'invalid_union') return issue.message;
  const matched = issue.errors.flat().find((branch) => branch.code !== 'invalid_type');
  return matched === undefined ? issue.message : messageOf(matched);
}

/** Unknown fields first (the likeliest cause of the rest), then in file order. */
const byKindAndPosition = (a: Problem, b: Problem) =>
  Number(b.unknown) - Number(a.unknown) ||
  a.location.line - b.location.line ||
  a.location.column - b.location.column;

function problemsOf(issues: readonly z.core.$ZodIssue[], entry: AliasEntry): Problem[] {
  return issues
    .flatMap((issue): Problem[] => {
      const pointer = issue.path.reduce<string>((parent, key) => childPointer(parent, String(key)), '');
      if (issue.code === 'unrecognized_keys') {
        return issue.keys.map((key) => {
          const field = childPointer(pointer, key);
          const message = `unknown field "${fieldLabel(field)}"`;
          return { field, message, unknown: true, location: locationOf(entry, field, 'key') };
        });
      }
      const label = pointer === '' ? 'config' : `field "${fieldLabel(pointer)}"`;
      const missing = !entry.fields.has(pointer) && issue.code === 'invalid_type';
      const message = missing ? `${label} is required` : `${label}: ${messageOf(issue)}`;
      return [{ field: pointer, message, unknown: false, location: locationOf(entry, pointer, 'value') }];
    })
    .sort(byKindAndPosition);
}

function hintFor(problem: Problem, schema: z.ZodType, family: string): string {
  if (!problem.unknown) return `Fix the field as the ${family} connector's schema describes it`;
  const known = knownFields(schema);
  const segments = pointerSegments(problem.field);
  const suggestion = segments.length === 1 ? closest(segments[0]!, known) : undefined;
  const listing = known.length > 0 ? `Known fields: ${known.join(', ')}` : 'Remove it';
  return suggestion ? `Did you mean "${suggestion}"? ${listing}` : listing;
}

/** A validated config, and what validating it warned about. */
export interface ValidatedConfig {
  /** The schema's output. */
  config: unknown;
  /** `IGNORED_FIELD` for each `field.ignored` key written, `UNKNOWN_FIELD` for each unknown one left out under warn. */
  warnings: ConfigWarning[];
}

/**
 * Validates and coerces an interpolated config with the plugin's schema. Every problem is
 * `CONFIG_INVALID` naming field, alias, file and line; the message describes the first one.
 * With `mode: 'warn'`, unknown fields are removed and reported as warnings instead, and the rest
 * is validated again.
 */
export function validateConfig(
  plugin: ConnectorPlugin,
  entry: AliasEntry,
  config: unknown,
  mode: ValidationMode = 'strict',
): ValidatedConfig {
  const schema = rejectingUnknownKeys(plugin.configSchema);
  const ignored = ignoredFields(schema, entry);
  const first = parse(plugin, schema, entry, config);
  if (first.success) return { config: first.data, warnings: ignored };
  const unknown = problemsOf(first.error.issues, entry).filter((problem) => problem.unknown);
  if (mode === 'strict' || unknown.length === 0) throw invalid(plugin, schema, entry, first.error);
  const pruned = structuredClone(config);
  for (const problem of unknown) removeField(pruned, problem.field);
  const second = parse(plugin, schema, entry, pruned);
  if (!second.success) throw invalid(plugin, schema, entry, second.error);
  const warnings = unknown.map(
    (problem): ConfigWarning => ({
      code: 'UNKNOWN_FIELD',
      field: problem.field,
      location: problem.location,
      message: `${entry.reference}: ${problem.message} is ignored (${formatLocation(problem.location)}); ${hintFor(problem, schema, plugin.family)}`,
    }),
  );
  return { config: second.data, warnings: [...ignored, ...warnings] };
}

/** Deletes the field at a JSON Pointer from a plain object tree. */
function removeField(tree: unknown, pointer: string): void {
  const segments = pointerSegments(pointer);
  const last = segments.pop();
  let parent = tree;
  for (const segment of segments) parent = (parent as Record<string, unknown> | undefined)?.[segment];
  if (last !== undefined && parent !== null && typeof parent === 'object') {
    delete (parent as Record<string, unknown>)[last];
  }
}

function parse(
  plugin: ConnectorPlugin,
  schema: z.ZodType,
  entry: AliasEntry,
  config: unknown,
): ReturnType<z.ZodType['safeParse']> {
  try {
    return schema.safeParse(config);
  } catch (error) {
    // A throwing transform or refinement in the plugin's schema; its message is redacted like any other.
    const reason = isConnectorError(error) || error instanceof Error ? error.message : String(error);
    throw new ConnectorError(
      `${entry.reference}: the ${plugin.family} connector's schema failed: ${reason}`,
      {
        code: 'CONFIG_INVALID',
        category: 'config',
        hint: 'This is a bug in the connector: its schema should report problems as issues',
        reference: entry.reference,
        ...entry.location,
        cause: error,
      },
    );
  }
}

function invalid(
  plugin: ConnectorPlugin,
  schema: z.ZodType,
  entry: AliasEntry,
  error: z.ZodError,
): ConnectorError {
  const problems = problemsOf(error.issues, entry);
  const [first] = problems as [Problem];
  const more = problems.length > 1 ? `; and ${problems.length - 1} more` : '';
  return new ConnectorError(
    `${entry.reference}: ${first.message} (${formatLocation(first.location)})${more}`,
    {
      code: 'CONFIG_INVALID',
      category: 'config',
      hint: first.unknown
        ? `${hintFor(first, schema, plugin.family)}; or set "validation: warn" at the top of the file to ignore unknown fields`
        : hintFor(first, schema, plugin.family),
      reference: entry.reference,
      ...first.location,
      details: {
        problems: problems.map((problem) => ({ ...problem, location: formatLocation(problem.location) })),
      },
    },
  );
}
