import { ConnectorError, type ConnectorErrorOptions, isConnectorError } from '@osiris/core';

/** PostgREST's error body: `{code, message, details, hint}` (Postgres SQLSTATE or `PGRSTnnn`). */
export interface PostgrestFailure {
  code?: string;
  message?: string;
  details?: string | null;
  hint?: string | null;
}

/**
 * Whether a failed request can have changed data: `no` only when it provably changed nothing — it
 * never ran, or PostgREST itself answered with an error (it rolls the request's transaction back).
 */
export type Execution = 'no' | 'unknown';

/** PostgREST's own error codes and Postgres SQLSTATEs: a body with one of them came from PostgREST. */
const POSTGREST_CODE = /^(?:PGRST\d{3}|[0-9A-Z]{5})$/;

/**
 * Whether an error response proves the request changed nothing: a 4xx refuses it (408 aside, a
 * timeout that says nothing of the request), and PostgREST rolls back a request it answers with
 * an error. A gateway's 5xx may come after the request reached the API, so it proves nothing.
 */
const refusedOrRolledBack = (status: number, failure: PostgrestFailure) =>
  (status >= 400 && status < 500 && status !== 408) || POSTGREST_CODE.test(failure.code ?? '');

/** What a failing request was doing, for the message. */
export interface FailureContext {
  /** `read users`, `upsert batch 3 (rows 1001–1500) into users`… */
  action: string;
  /** Table concerned, for not-found hints. */
  table?: string;
  /** Schema requests go to. */
  schema: string;
}

export type Mapped = Pick<ConnectorErrorOptions, 'code' | 'category' | 'hint'> & {
  retryable?: boolean;
  execution?: Execution;
};

const SMALLER_BATCHES =
  'Lower batch_size (or max_batch_bytes) so each request does less work, or raise the statement timeout';

/** Maps an HTTP status and PostgREST error body to a code, category and hint (status 0: a SQLSTATE alone). */
export function mapHttp(status: number, failure: PostgrestFailure, context: FailureContext): Mapped {
  const code = failure.code ?? '';
  if (status === 401 || code.startsWith('PGRST30')) {
    return {
      code: 'AUTH_FAILED',
      category: 'auth',
      hint: 'Check `key`: use the project service-role (or secret) key from Project settings → API',
    };
  }
  if (code === '42501' || status === 403) {
    return {
      code: 'PERMISSION_DENIED',
      category: 'permission',
      hint: 'Grant the table to the key role (service_role) or check its row-level security policies',
    };
  }
  if (code === '42P01' || code === 'PGRST205' || (status === 404 && context.table !== undefined)) {
    return {
      code: 'TABLE_NOT_FOUND',
      category: 'not_found',
      hint: `Table missing or not exposed; check the schema ("${context.schema}") and grants, and that the name is spelled as in the database`,
    };
  }
  if (code === 'PGRST106' || code === '3F000') {
    return {
      code: 'SCHEMA_NOT_EXPOSED',
      category: 'config',
      hint: 'Set `schema` to one the API exposes, or add it under Project settings → API → Exposed schemas',
    };
  }
  if (code === 'PGRST204' || code === '42703') {
    return {
      code: 'COLUMN_NOT_FOUND',
      category: 'not_found',
      hint: 'Rename or drop the column in the rows, or add it to the table (then reload the API schema cache)',
    };
  }
  if (code === '23505') {
    return {
      code: 'DUPLICATE_KEY',
      category: 'conflict',
      hint: "Use mode 'upsert' (with onConflict naming the unique columns) or remove the duplicates",
    };
  }
  if (code === '23503') {
    return {
      code: 'VALUE_REJECTED',
      category: 'config',
      hint: 'Write the referenced rows first, or fix the referencing values',
    };
  }
  if (code === '23502') {
    return { code: 'VALUE_REJECTED', category: 'config', hint: 'Give the column a value or a default' };
  }
  if (code.startsWith('22') || code === '42804') {
    return { code: 'VALUE_REJECTED', category: 'config', hint: 'Fix the value so it fits the column type' };
  }
  if (code === '57014') {
    return { code: 'QUERY_TIMEOUT', category: 'timeout', hint: SMALLER_BATCHES };
  }
  if (code === 'PGRST002') {
    return {
      code: 'SCHEMA_CACHE_NOT_READY',
      category: 'network',
      hint: 'The API is starting or lost its database connection; try again shortly',
      retryable: true,
      execution: 'no',
    };
  }
  if (status === 503) {
    // A gateway's 503 (no PostgREST body): it may have come after the request reached the API.
    return {
      code: 'API_UNAVAILABLE',
      category: 'network',
      hint: 'The API or a gateway in front of it is unavailable; try again shortly, and check the project status if it lasts',
      retryable: true,
      execution: 'unknown',
    };
  }
  if (code === 'PGRST003' || status === 504) {
    return {
      code: 'POOL_EXHAUSTED',
      category: 'timeout',
      hint: 'The API had no free database connection in time; lower `concurrency` or try again later',
      retryable: true,
      execution: code === 'PGRST003' ? 'no' : 'unknown',
    };
  }
  if (status === 429) {
    return {
      code: 'RATE_LIMITED',
      category: 'network',
      hint: 'Lower `concurrency`, or try again later',
      retryable: true,
      execution: 'no',
    };
  }
  if (status === 520 || status === 502) {
    return {
      code: 'UPSTREAM_ERROR',
      category: 'network',
      hint: 'The gateway in front of the API failed; long URLs (big `in` filters) and big requests cause it',
      retryable: true,
    };
  }
  return { code: 'QUERY_FAILED', category: 'internal', hint: failure.hint ?? undefined };
}

/** The column PostgREST names in an unknown-column message (`Column 'x' of relation…` / `column t.x does not exist`). */
function unknownColumn(message: string): string | undefined {
  return (
    /Column '([^']+)'/.exec(message)?.[1] ??
    /column (?:[^ .]+\.)?"?([^ "]+)"? does not exist/.exec(message)?.[1]
  );
}

/** A failed HTTP response as a `ConnectorError`. */
export function httpError(
  status: number,
  failure: PostgrestFailure,
  context: FailureContext,
): ConnectorError {
  const mapped = mapHttp(status, failure, context);
  const column = mapped.code === 'COLUMN_NOT_FOUND' ? unknownColumn(failure.message ?? '') : undefined;
  const what =
    column === undefined
      ? failure.message || `HTTP ${status}`
      : `unknown column "${column}": ${failure.message}`;
  const details = [failure.details, failure.hint].filter(Boolean).join('; ');
  return new ConnectorError(
    `Supabase: could not ${context.action}: ${what}${details ? ` (${details})` : ''}`,
    {
      code: mapped.code,
      category: mapped.category,
      hint: mapped.hint,
      retryable: mapped.retryable ?? false,
      details: {
        status,
        postgrestCode: failure.code,
        execution: mapped.execution ?? (refusedOrRolledBack(status, failure) ? 'no' : 'unknown'),
        ...(column === undefined ? {} : { column }),
      },
    },
  );
}

/** Socket errors raised before a request was written: the server cannot have run it. */
const NOT_SENT = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'ERR_INVALID_URL',
]);

/** A request that got no HTTP response (fetch threw) as a `ConnectorError`. */
export function networkError(thrown: unknown, context: FailureContext): ConnectorError {
  const error = thrown instanceof Error ? thrown : new Error(String(thrown));
  if (error.name === 'TimeoutError') {
    return new ConnectorError(`Supabase: timed out trying to ${context.action}`, {
      code: 'OPERATION_TIMEOUT',
      category: 'timeout',
      hint: `Raise \`timeout\` (seconds), or ${SMALLER_BATCHES.charAt(0).toLowerCase()}${SMALLER_BATCHES.slice(1)}`,
      retryable: true,
      details: { execution: 'unknown' },
      cause: error,
    });
  }
  // fetch rejects with "fetch failed" (cause: the socket error) once it tried; anything else is a request it refused to make.
  if (error instanceof TypeError && error.message !== 'fetch failed')
    return unsentError(error.message, context);
  const cause = error.cause as { code?: string; message?: string } | undefined;
  const code = cause?.code ?? (error as { code?: string }).code;
  const notSent = code !== undefined && NOT_SENT.has(code);
  return new ConnectorError(
    `Supabase: could not ${context.action}: cannot reach the API (${code ?? cause?.message ?? error.message})`,
    {
      code: 'HOST_UNREACHABLE',
      category: 'network',
      hint: 'Check `url` and that the project is up and reachable from here',
      retryable: true,
      details: { execution: notSent ? 'no' : 'unknown', ...(code === undefined ? {} : { errno: code }) },
      cause: error,
    },
  );
}

/** True when a failed request provably never ran, so even a non-idempotent write may be sent again. */
export function provablyNotExecuted(error: unknown): boolean {
  return isConnectorError(error) && error.details?.execution === 'no';
}

/** Rethrows the caller's abort as is; a caller's deadline (`AbortSignal.timeout`) becomes a timeout error instead. */
export function throwIfCallerAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted && (signal.reason as Error | undefined)?.name !== 'TimeoutError') throw signal.reason;
}

/** A request that could not even be made (e.g. a key that cannot be a header): nothing was sent. */
export function unsentError(message: string | undefined, context: FailureContext): ConnectorError {
  return new ConnectorError(`Supabase: could not send the request to ${context.action}: ${message}`, {
    code: 'CONFIG_INVALID',
    category: 'config',
    hint: 'Check `key` and `url` in the connection config',
    details: { execution: 'no' },
  });
}
