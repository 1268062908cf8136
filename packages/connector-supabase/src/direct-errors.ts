/**
 * Failures of the direct (`db_url`) path as this connector's own errors: the code the API path gives for the
 * same SQLSTATE (a duplicate key is `DUPLICATE_KEY` whichever path ran), core's shared code otherwise (what
 * connector-postgres raises is catalogued too), and the message saying the direct path ran. The password in
 * `db_url` is a registered secret (connector.ts), so no message built here can carry it.
 */
import {
  type ConnectorError,
  errorCodeEntry,
  ConnectorError as Failure,
  isConnectorError,
  toConnectorError,
} from '@osiris/core';
import { type Execution, mapHttp } from './errors.js';
import { DATABASE_CODES } from './session.js';

const DB_URL_HINT = 'Check `db_url` (Project settings → Database → Connection string)';

/** Code, category and hint of a direct-path failure (see the file's opening comment). */
function mapped(cause: ConnectorError, table: string | undefined, schema: string) {
  const sqlState = cause.details?.sqlState;
  if (typeof sqlState === 'string') {
    const byState = mapHttp(0, { code: sqlState }, { action: '', table, schema });
    if (byState.code !== 'QUERY_FAILED') return { ...byState, hint: byState.hint ?? cause.hint };
  }
  const { category } = cause;
  const hint = category === 'auth' || category === 'network' ? DB_URL_HINT : cause.hint;
  // connector-postgres's own codes (SQL_INVALID, SERVER_STARTING…) are its own: here they go by their kind.
  if (errorCodeEntry(cause.code)?.owner === '@osiris/core') return { code: cause.code, category, hint };
  const kind = category in DATABASE_CODES ? (category as keyof typeof DATABASE_CODES) : 'internal';
  return { code: DATABASE_CODES[kind], category, hint };
}

/**
 * A failure of the direct path, for `action` (`append into users`), as this connector's error. `execution`
 * says whether the failed work can have changed data: a server that answered with an error rolled its
 * transaction back; a lost connection or a timeout leaves that unknown.
 */
export function directError(
  error: unknown,
  action: string,
  where: { table?: string; schema?: string } = {},
): ConnectorError {
  const cause = isConnectorError(error) ? error : toConnectorError(error);
  const { code, category, hint } = mapped(cause, where.table, where.schema ?? 'public');
  const execution: Execution = category === 'network' || category === 'timeout' ? 'unknown' : 'no';
  return new Failure(`Supabase: could not ${action} through db_url: ${cause.message}`, {
    code,
    category,
    hint,
    retryable: cause.retryable,
    details: { ...cause.details, path: 'db_url', execution },
    cause,
  });
}
