import type { ErrorCode } from '../error-catalogue.js';

/** A reference resolved to the config its connector will be opened with. */
export interface ResolvedConnection<TConfig = Record<string, unknown>> {
  /** Canonical `@family.alias` (an `@family` reference resolves to its default alias). */
  reference: string;
  /** Family part of the reference. */
  family: string;
  /** Alias part of the reference. */
  alias: string;
  /** Interpolated, validated and coerced config, `default` flag removed; prints masked. */
  config: TConfig;
  /** Directory of the connections file the alias is written in; relative paths resolve against it. */
  configDir?: string;
  /** What did not stop resolution but is worth telling (`UNKNOWN_FIELD` under `validation: warn`). */
  warnings?: ConfigWarning[];
}

/** Turns `@family.alias` references into validated configs; see `createResolver`. */
export interface Resolver {
  /** Interpolates and validates one alias lazily; throws `ConnectorError` (MISSING_ENV, CONFIG_INVALID…). */
  resolve(reference: string): ResolvedConnection;
  /** Every `@family.alias` in the connections file, sorted. */
  references(): string[];
}

/** A 1-based position in a file. */
export interface SourceLocation {
  /** Absolute path of the file. */
  file: string;
  /** 1-based line. */
  line: number;
  /** 1-based column. */
  column: number;
}

/** One `${VAR}` a field reads; never carries the variable's value. */
export interface VariableUse {
  /** Variable name (case-sensitive). */
  name: string;
  /** JSON Pointer of the field it is written in (`/password`). */
  field: string;
  /** Where the `${` is written (the field's start when the exact column is unknown). */
  location: SourceLocation;
  /** Whether the variable is set in the effective environment (an empty value counts as set). */
  set: boolean;
  /** Where a set value comes from: `environment`, or the path of the `.env` file that filled it. */
  source?: string;
}

/** Something worth telling the user that does not stop resolution. */
export interface ConfigWarning {
  /** Stable code, e.g. `LITERAL_SECRET`. */
  code: ErrorCode;
  /** JSON Pointer of the field concerned. */
  field: string;
  /** Where the field is written. */
  location: SourceLocation;
  /** One line for a person (never a secret value). */
  message: string;
}

/** An alias as written in the file: nothing interpolated, literal secrets masked. */
export interface RawConnection {
  /** Canonical `@family.alias`. */
  reference: string;
  /** Family part of the reference. */
  family: string;
  /** Alias part of the reference. */
  alias: string;
  /** Whether the alias carries `default: true`. */
  isDefault: boolean;
  /** Where the alias is written. */
  location: SourceLocation;
  /** Fields as written (`default` flag removed): `${VAR}` kept, literal secrets masked. */
  config: Record<string, unknown>;
  /** Every `${VAR}` the alias reads, in file order. */
  variables: VariableUse[];
  /** Warnings such as `LITERAL_SECRET` (a secret written in the file rather than through `${VAR}`). */
  warnings: ConfigWarning[];
}

/** Where one resolved value came from. */
export interface ValueOrigin {
  /** JSON Pointer of the field in the resolved config. */
  field: string;
  /** The resolved value, masked when secret. */
  value: unknown;
  /** `file`: written as is; `env`: one `${VAR}`; `default`: a `${VAR:-default}`'s default; `interpolated`: text and variables mixed; `schema`: filled in by the connector's schema. */
  from: 'file' | 'env' | 'default' | 'interpolated' | 'schema';
  /** Where the field is written (absent for schema defaults). */
  location?: SourceLocation;
  /** The variables read for it. */
  variables: VariableUse[];
}

/** A resolved connection with the origin of every value, for `osiris-connections show`. */
export interface ExplainedConnection {
  /** Canonical `@family.alias`. */
  reference: string;
  /** Family part of the reference. */
  family: string;
  /** Alias part of the reference. */
  alias: string;
  /** Where the alias is written. */
  location: SourceLocation;
  /** One entry per leaf of the resolved config, in config order. */
  fields: ValueOrigin[];
}

/** The resolver `createResolver` returns: resolution plus the views tools need. */
export interface ConnectionResolver extends Resolver {
  /** The alias as written, with its variables and warnings; never throws MISSING_ENV. */
  raw(reference: string): RawConnection;
  /** Resolves like `resolve` and says where each value came from. */
  explain(reference: string): ExplainedConnection;
}
