import type { SourceLocation } from '../contract/resolver.js';

/** An environment: variable name → value (`process.env` is one). */
export type Env = Readonly<Record<string, string | undefined>>;

/**
 * A config value as written in the file. Scalars keep the text written (`3306`, `true`, `0123`),
 * exactly like a `${VAR}` value, so the connector's schema coerces both the same way.
 */
export type RawValue = string | null | RawValue[] | { [key: string]: RawValue };

/** Where one field of an alias is written. */
export interface FieldSource {
  /** Where its key starts (for a list item, the item). */
  key: SourceLocation;
  /** Where its value starts. */
  value: SourceLocation;
  /** Where the string's first character is, when each character maps to one in the file (one line, no escapes). */
  text?: SourceLocation;
}

/** One alias (`connections.<family>.<alias>`) as written. */
export interface AliasEntry {
  /** Canonical `@family.alias`. */
  reference: string;
  /** The family it belongs to. */
  family: string;
  /** Its name. */
  alias: string;
  /** Whether it carries `default: true`. */
  isDefault: boolean;
  /** Where its key is written. */
  location: SourceLocation;
  /** Its fields as written, `default` flag removed; nothing interpolated. */
  config: Record<string, RawValue>;
  /** JSON Pointer (`/ssl/ca`) → where that field is written, for every field at any depth. */
  fields: ReadonlyMap<string, FieldSource>;
}

/** One family (`connections.<family>`) as written. */
export interface FamilyEntry {
  /** The family name. */
  name: string;
  /** Where its key is written. */
  location: SourceLocation;
  /** Its aliases, in file order. */
  aliases: ReadonlyMap<string, AliasEntry>;
}

/** `strict`: an unknown field is `CONFIG_INVALID`; `warn`: it is ignored with an `UNKNOWN_FIELD` warning. */
export type ValidationMode = 'strict' | 'warn';

/** A parsed connections file, before any interpolation. */
export interface ParsedConnections {
  /** Absolute path of the file. */
  path: string;
  /** The file's top-level `validation:` (default `strict`). */
  validation?: ValidationMode;
  /** Its families, in file order. */
  families: ReadonlyMap<string, FamilyEntry>;
}

/** What `loadConnections` returns: the file, and the environment it is interpolated with. */
export interface ConnectionsFile extends ParsedConnections {
  /** Places looked at, in order, ending with the file found. */
  searched: readonly string[];
  /** The environment given (default `process.env`) with unset variables filled from `.env` files. */
  env: Env;
  /** `.env` files read, the earlier ones winning. */
  envFiles: readonly string[];
  /** Variable → the `.env` file that filled it (variables set in the environment are not listed). */
  envOrigins: ReadonlyMap<string, string>;
}

/** `file:line:col`. */
export const formatLocation = (location: SourceLocation): string =>
  `${location.file}:${location.line}:${location.column}`;
