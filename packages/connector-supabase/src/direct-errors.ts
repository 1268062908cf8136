/**
 * Failures of the direct (`db_url`) path as this connector's own errors: the same codes the API path gives for
 * the same SQLSTATE (a unique violation is `UNIQUE_VIOLATION` whichever path ran), the `DATABASE_*` codes of
 * other `db_url` failures, and the message saying the direct path ran. The password in `db_url` is a
 * registered secret (connector.ts), so no message built here can carry it.
 */
import {
  type ConnectorError,
  ConnectorError as Failure,
  isConnectorError,
  toConnectorError,
} from '@osiris/core';
import { type Execution, mapHttp } from './errors.js';

/** Codes whose meaning is the same on both paths, kept as they are. */
const SHARED = new Set(['VALUE_OUT_OF_RANGE', 'VALUE_INVALID', 'TABLE_NOT_FOUND', 'SCHEMA_MISMATCH']);

const DB_URL_HINT = 'Check `db_url` (Project settings → Database → Connection string)';

/** Code, category and hint of a direct-path failure (see the file's opening comment). */
function mapped(cause: ConnectorError, table: string | undefined, schema: string) {
  const sqlState = cause.details?.sqlState;
  if (typeof sqlState === 'string') {
    const byState = mapHttp(0, { code: sqlState }, { action: '', table, schema });
    if (byState.code !== 'POSTGREST_ERROR') return { ...byState, hint: byState.hint ?? cause.hint };
  }
  if (SHARED.has(cause.code)) return { code: cause.code, category: cause.category, hint: cause.hint };
  if (cause.code === 'COLUMN_NOT_FOUND') {
    return { code: 'UNKNOWN_COLUMN', category: 'config' as const, hint: cause.hint };
  }
  const category = cause.category;
  const known = ['auth', 'network', 'timeout', 'permission'].includes(category);
  return {
    code: known ? `DATABASE_${category.toUpperCase()}` : 'DATABASE_ERROR',
    category,
    hint: category === 'auth' || category === 'network' ? DB_URL_HINT : cause.hint,
  };
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
