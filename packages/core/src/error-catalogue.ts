/**
 * The closed catalogue of `ConnectorError` codes: core's own table, `defineErrorCodes` for a connector's
 * codes, the type every `code` must have, and the lookup that gives an error its category and retryable
 * default. A connector's table joins the type by augmenting `ErrorCodeRegistry` (see the README).
 */

/** What kind of failure an error is, so a person (or doctor) knows where to look. */
export type ErrorCategory =
  | 'config'
  | 'auth'
  | 'network'
  | 'timeout'
  | 'permission'
  | 'not_found'
  | 'read_only'
  | 'conflict'
  | 'unsupported'
  | 'internal';

/** One catalogued code. */
export interface ErrorCodeEntry {
  /** Broad kind of failure an error with this code has. */
  category: ErrorCategory;
  /** Whether trying the same operation again may succeed, unless the throw site knows better. */
  retryable: boolean;
  /** One line saying when the code is raised (and how it differs from its neighbours). */
  meaning: string;
}

/** A table of codes, as `defineErrorCodes` returns it. */
export type ErrorCatalogue<Code extends string = string> = Readonly<Record<Code, Readonly<ErrorCodeEntry>>>;

/** The codes of a catalogue as a registry fragment: `interface ErrorCodeRegistry extends CodesOf<typeof MY_CODES> {}`. */
export type CodesOf<Table extends ErrorCatalogue> = { readonly [Code in keyof Table]: true };

const entries = new Map<string, Readonly<ErrorCodeEntry> & { owner: string }>();

function register<const Table extends Record<string, ErrorCodeEntry>>(owner: string, table: Table): Table {
  for (const [code, entry] of Object.entries(table)) {
    if (!/^[A-Z][A-Z0-9]*(_[A-Z0-9]+)*$/.test(code)) {
      throw new TypeError(`Error code ${JSON.stringify(code)} of ${owner} is not UPPER_SNAKE_CASE`);
    }
    const known = entries.get(code);
    // A module loaded twice registers the same table again; another owner's code is a clash.
    if (known !== undefined && known.owner !== owner) {
      throw new TypeError(`${owner} declares error code ${code}, which ${known.owner} already owns`);
    }
    entries.set(code, Object.freeze({ ...entry, owner }));
  }
  return Object.freeze(table);
}

/** Core's codes: every one a connector shares with the others. */
export const CORE_ERROR_CODES = register('@osiris/core', {
  CONFIG_NOT_FOUND: {
    category: 'config',
    retryable: false,
    meaning: 'no connections file was found, or a named one is missing',
  },
  CONFIG_PARSE: {
    category: 'config',
    retryable: false,
    meaning: 'the connections file is not valid YAML (duplicate keys, tabs, unterminated quotes…)',
  },
  CONFIG_INVALID: {
    category: 'config',
    retryable: false,
    meaning: 'a connection config has the wrong shape, a malformed `${…}`, two defaults or an unknown key',
  },
  MISSING_ENV: {
    category: 'config',
    retryable: false,
    meaning: 'a variable an alias needs is unset (or empty, for `:?`)',
  },
  ENV_FILE_NOT_FOUND: {
    category: 'config',
    retryable: false,
    meaning: 'a file named in `envFiles` (or `--env-file`) cannot be read',
  },
  INVALID_REFERENCE: {
    category: 'config',
    retryable: false,
    meaning: 'a reference is not of the form `@family.alias` or `@family`',
  },
  UNKNOWN_FAMILY: {
    category: 'config',
    retryable: false,
    meaning: 'no plugin is registered for the family, or no package is installed for it',
  },
  UNKNOWN_ALIAS: { category: 'config', retryable: false, meaning: 'the family has no alias of that name' },
  NO_DEFAULT_ALIAS: {
    category: 'config',
    retryable: false,
    meaning: 'a bare `@family` names a family without a `default: true` alias',
  },
  WRONG_FAMILY: {
    category: 'config',
    retryable: false,
    meaning: '`manager.get(ref, plugin)` with a reference of another family',
  },
  LITERAL_SECRET: {
    category: 'config',
    retryable: false,
    meaning: '(warning) a secret field holds a literal value instead of a `${VAR}`',
  },
  IGNORED_FIELD: {
    category: 'config',
    retryable: false,
    meaning: '(warning) a field the connector reads no longer, or not in this combination',
  },
  UNKNOWN_FIELD: {
    category: 'config',
    retryable: false,
    meaning: '(warning) a field the connector does not know (a typo, or a newer version)',
  },
  DUPLICATE_FAMILY: {
    category: 'config',
    retryable: false,
    meaning: 'a second plugin registered for a family that has one',
  },
  PLUGIN_INVALID: {
    category: 'config',
    retryable: false,
    meaning: 'not a plugin: bad shape or family name, a bare definition, a package exporting another family',
  },
  PLUGIN_INCOMPATIBLE: {
    category: 'config',
    retryable: false,
    meaning: 'a plugin built for another plugin API version',
  },
  PLUGIN_LOAD_FAILED: {
    category: 'internal',
    retryable: false,
    meaning: 'a connector package is installed but throws, or cannot be resolved, while loading',
  },
  CONNECT_FAILED: {
    category: 'internal',
    retryable: false,
    meaning: 'a connect failed with an error its plugin did not classify',
  },
  CHECK_FAILED: {
    category: 'internal',
    retryable: false,
    meaning: 'a check failed with an error its plugin did not classify',
  },
  CLOSE_FAILED: {
    category: 'internal',
    retryable: false,
    meaning: 'closing some of the manager’s connections failed (the others were closed)',
  },
  MANAGER_CLOSED: {
    category: 'internal',
    retryable: false,
    meaning: 'the connection manager was used after `close()`',
  },
  CONNECTION_CLOSED: {
    category: 'internal',
    retryable: false,
    meaning: 'a connection (or its pool) was used after `close()`, or closed while opening',
  },
  STREAM_CONSUMED: {
    category: 'internal',
    retryable: false,
    meaning: 'a read (row stream) iterated a second time',
  },
  INVALID_OPTIONS: {
    category: 'internal',
    retryable: false,
    meaning: '`doctor`, `withRetry` or `withTimeout` called with options no run could succeed with',
  },
  REQUEST_INVALID: {
    category: 'config',
    retryable: false,
    meaning:
      'the arguments of a read, write or query are wrong (unknown option, bad limit, no key…); nothing ran',
  },
  INVALID_IDENTIFIER: {
    category: 'config',
    retryable: false,
    meaning: 'a table, schema or column name cannot be quoted safely as an identifier',
  },
  NO_COLUMNS: {
    category: 'config',
    retryable: false,
    meaning: 'a write whose rows or request name no column at all',
  },
  UNSUPPORTED: {
    category: 'unsupported',
    retryable: false,
    meaning: 'the connector or server cannot do what was asked (a missing capability or feature)',
  },
  ABORTED: {
    category: 'internal',
    retryable: false,
    meaning: 'the caller’s AbortSignal fired; the operation stopped',
  },
  OPERATION_TIMEOUT: {
    category: 'timeout',
    retryable: true,
    meaning:
      'a whole operation (a check, a request, a `withTimeout` call) did not finish in its time limit; whether it took effect is unknown',
  },
  CONNECT_TIMEOUT: {
    category: 'timeout',
    retryable: true,
    meaning: 'opening a connection (socket and handshake) did not finish in time; nothing ran',
  },
  QUERY_TIMEOUT: {
    category: 'timeout',
    retryable: true,
    meaning: 'one statement ran past its limit and the server stopped it (its transaction rolls back)',
  },
  QUERY_CANCELED: {
    category: 'timeout',
    retryable: true,
    meaning:
      'the server stopped a statement because someone killed it (KILL, pg_cancel_backend), not a limit',
  },
  LOCK_TIMEOUT: {
    category: 'timeout',
    retryable: true,
    meaning: 'a statement could not get a row or table lock another transaction holds',
  },
  POOL_EXHAUSTED: {
    category: 'timeout',
    retryable: true,
    meaning: 'no pooled connection became free within the wait allowed; nothing ran',
  },
  AUTH_FAILED: {
    category: 'auth',
    retryable: false,
    meaning: 'the server refused the credentials (user, password, key or token)',
  },
  PERMISSION_DENIED: {
    category: 'permission',
    retryable: false,
    meaning: 'the user or process lacks a privilege or file permission the operation needs',
  },
  TLS: {
    category: 'network',
    retryable: false,
    meaning: 'the TLS handshake failed or TLS was required and not offered',
  },
  CONNECTION_REFUSED: {
    category: 'network',
    retryable: true,
    meaning: 'nothing accepts connections at the host and port',
  },
  HOST_NOT_FOUND: { category: 'network', retryable: false, meaning: 'the host name does not resolve (DNS)' },
  HOST_UNREACHABLE: {
    category: 'network',
    retryable: true,
    meaning: 'no network route to the host, or the request could not be sent to it',
  },
  CONNECTION_LOST: {
    category: 'network',
    retryable: true,
    meaning: 'an open connection dropped (server restart, killed session, network)',
  },
  TOO_MANY_CONNECTIONS: {
    category: 'network',
    retryable: true,
    meaning: 'the server is at its connection limit',
  },
  DATABASE_NOT_FOUND: { category: 'not_found', retryable: false, meaning: 'the database does not exist' },
  SCHEMA_NOT_FOUND: { category: 'not_found', retryable: false, meaning: 'the schema does not exist' },
  TABLE_NOT_FOUND: {
    category: 'not_found',
    retryable: false,
    meaning: 'the table (or file, for a table-like source) does not exist',
  },
  COLUMN_NOT_FOUND: {
    category: 'not_found',
    retryable: false,
    meaning: 'a column named in a request does not exist in the table',
  },
  READ_ONLY_VIOLATION: {
    category: 'read_only',
    retryable: false,
    meaning: 'a write (or a statement that may write) on a read-only connection, session or server',
  },
  DUPLICATE_KEY: {
    category: 'conflict',
    retryable: false,
    meaning: 'a row repeats a primary or unique key already in the table',
  },
  DEADLOCK: {
    category: 'conflict',
    retryable: true,
    meaning: 'the server broke a deadlock by rolling this transaction back',
  },
  SERIALIZATION_FAILURE: {
    category: 'conflict',
    retryable: true,
    meaning: 'a concurrent transaction conflicted with this serializable one',
  },
  SQL_SYNTAX: { category: 'config', retryable: false, meaning: 'the server cannot parse the SQL' },
  QUERY_FAILED: {
    category: 'internal',
    retryable: false,
    meaning: 'the server or driver failed with an error no other code describes',
  },
  TYPE_UNSUPPORTED: {
    category: 'config',
    retryable: false,
    meaning: 'the sink has no column type that keeps every value of a column’s logical type (before any row)',
  },
  VALUE_OUT_OF_RANGE: {
    category: 'config',
    retryable: false,
    meaning:
      'a value of the right kind that does not fit the target column (too big, too long, not a member)',
  },
  VALUE_INVALID: {
    category: 'config',
    retryable: false,
    meaning:
      'not a value of the column’s type at all (`abc` for an integer, null for NOT NULL), found before writing',
  },
  VALUE_REJECTED: {
    category: 'config',
    retryable: false,
    meaning: 'the server refused a value while writing (type, range, NOT NULL, CHECK or foreign key)',
  },
  SCHEMA_MISMATCH: {
    category: 'config',
    retryable: false,
    meaning: 'the rows or columns given do not match the table or file they go to',
  },
  WRITE_FATE_UNKNOWN: {
    category: 'network',
    retryable: false,
    meaning: 'a write failed in a way that leaves unknown whether (some of) its rows were stored',
  },
  INTERNAL: { category: 'internal', retryable: false, meaning: 'a bug: a failure nothing classified' },
});

/** A code of core's table. */
export type CoreErrorCode = keyof typeof CORE_ERROR_CODES;

/**
 * Every catalogued code. Core's are listed here; a connector adds its own with
 * `declare module '@osiris/core' { interface ErrorCodeRegistry extends CodesOf<typeof MY_CODES> {} }`.
 */
export interface ErrorCodeRegistry extends CodesOf<typeof CORE_ERROR_CODES> {}

/** A catalogued error code: what `ConnectorError.code` may be. */
export type ErrorCode = keyof ErrorCodeRegistry & string;

/**
 * Declares a connector's own codes. `owner` is the package name; a code core (or another package) already
 * owns is refused, so no connector gives a shared code another meaning.
 */
export function defineErrorCodes<const Table extends Record<string, ErrorCodeEntry>>(
  owner: string,
  table: Table & { readonly [Code in keyof Table & CoreErrorCode]: never },
): Table {
  return register(owner, table);
}

/** The catalogue entry of a code (with the package that declared it), or undefined for an unknown one. */
export function errorCodeEntry(code: string): (Readonly<ErrorCodeEntry> & { owner: string }) | undefined {
  return entries.get(code);
}

/** Every code registered so far (core's, and those of the connector packages loaded). */
export function catalogedErrorCodes(): string[] {
  return [...entries.keys()];
}

/** A catalogue as a Markdown table (code, category, retryable, meaning), for a package's README. */
export function errorCodeTable(table: ErrorCatalogue): string {
  const rows = Object.entries(table).map(
    ([code, entry]) =>
      `| \`${code}\` | ${entry.category} | ${entry.retryable ? 'yes' : 'no'} | ${entry.meaning.replaceAll('|', '\\|')} |`,
  );
  return ['| code | category | retryable | meaning |', '| --- | --- | --- | --- |', ...rows].join('\n');
}
