import { ConnectorError, type ErrorCategory, type ErrorCode, isConnectorError } from '@osiris/core';

/** Where a failure happened, so the message can say which server and database it concerns. */
export interface ErrorContext {
  /** `host:port` of the server. */
  server?: string;
  /** Database the connection selects. */
  database?: string;
}

interface Rule {
  code: ErrorCode;
  category: ErrorCategory;
  hint?: string;
  retryable?: boolean;
}

const CONNECTION_LOST: Rule = {
  code: 'CONNECTION_LOST',
  category: 'network',
  hint: 'The connection dropped (server restart, KILL or network); retrying opens a new one',
  retryable: true,
};
const QUERY_TIMEOUT: Rule = {
  code: 'QUERY_TIMEOUT',
  category: 'timeout',
  hint: 'The statement ran longer than allowed; raise read_timeout or the timeoutMs of the call',
  retryable: true,
};
const TLS: Rule = {
  code: 'TLS',
  category: 'network',
  hint: 'Check require_ssl, ssl_ca and ssl_verify_identity against the certificate the server presents',
};
const PERMISSION: Rule = {
  code: 'PERMISSION_DENIED',
  category: 'permission',
  hint: 'Grant the user the privilege named in the message, or use a user that has it',
};

const VALUE_REJECTED: Rule = {
  code: 'VALUE_REJECTED',
  category: 'config',
  hint: 'A value does not fit its column (type, range, length, NOT NULL or a foreign key); the message names the column',
};

/** MySQL/MariaDB server error numbers with a known meaning. */
const SERVER_ERRORS: Record<number, Rule> = {
  1045: { code: 'AUTH_FAILED', category: 'auth', hint: 'Check username and password' },
  1698: { code: 'AUTH_FAILED', category: 'auth', hint: 'Check username and password' },
  1251: {
    code: 'AUTH_UNSUPPORTED',
    category: 'auth',
    hint: 'The server wants an authentication method the client lacks; change the user to caching_sha2_password or mysql_native_password',
  },
  1044: PERMISSION,
  1142: PERMISSION,
  1143: PERMISSION,
  1227: PERMISSION,
  1370: PERMISSION,
  1049: {
    code: 'DATABASE_NOT_FOUND',
    category: 'not_found',
    hint: 'Verify the database exists and its name is spelled correctly',
  },
  1146: {
    code: 'TABLE_NOT_FOUND',
    category: 'not_found',
    hint: 'Verify the table exists in this database (discover() lists them)',
  },
  1054: {
    code: 'COLUMN_NOT_FOUND',
    category: 'not_found',
    hint: 'Verify the column names against the table',
  },
  1040: {
    code: 'TOO_MANY_CONNECTIONS',
    category: 'network',
    hint: 'The server is at max_connections; lower pool_size/max_overflow or raise the server limit',
    retryable: true,
  },
  1213: {
    code: 'DEADLOCK',
    category: 'conflict',
    hint: 'Another transaction held the rows; the server rolled this one back and it can be retried',
    retryable: true,
  },
  1205: {
    code: 'LOCK_TIMEOUT',
    category: 'timeout',
    hint: 'Another transaction held the rows longer than innodb_lock_wait_timeout; retry later',
    retryable: true,
  },
  1317: { ...QUERY_TIMEOUT, code: 'QUERY_CANCELED', hint: 'The statement was killed on the server' },
  1969: QUERY_TIMEOUT,
  3024: QUERY_TIMEOUT,
  1927: CONNECTION_LOST,
  1053: CONNECTION_LOST,
  2006: CONNECTION_LOST,
  2013: CONNECTION_LOST,
  1792: {
    code: 'READ_ONLY_VIOLATION',
    category: 'read_only',
    hint: 'This connection is read-only; use a connection without read_only for writes',
  },
  1290: {
    code: 'READ_ONLY_VIOLATION',
    category: 'read_only',
    hint: 'The server (or this session) is read-only',
  },
  3159: { ...TLS, hint: 'The server requires TLS: set require_ssl: true' },
  1153: {
    code: 'PACKET_TOO_LARGE',
    category: 'config',
    hint: "A statement or value exceeds the server's max_allowed_packet",
  },
  1048: VALUE_REJECTED,
  1264: VALUE_REJECTED,
  1265: VALUE_REJECTED,
  1292: VALUE_REJECTED,
  1364: VALUE_REJECTED,
  1366: VALUE_REJECTED,
  1406: VALUE_REJECTED,
  1451: VALUE_REJECTED,
  1452: VALUE_REJECTED,
  1062: {
    code: 'DUPLICATE_KEY',
    category: 'conflict',
    hint: 'A row repeats a primary or unique key; use mode upsert',
  },
  1064: { code: 'SQL_SYNTAX', category: 'config', hint: 'Fix the SQL near the position the server names' },
};

/** Node and mysql2 error codes (`err.code`) with a known meaning. */
const CLIENT_ERRORS: Record<string, Rule> = {
  ECONNREFUSED: {
    code: 'CONNECTION_REFUSED',
    category: 'network',
    hint: 'Check host and port, and that the server is running and reachable from here',
    retryable: true,
  },
  ENOTFOUND: { code: 'HOST_NOT_FOUND', category: 'network', hint: 'Check the host name (DNS lookup failed)' },
  EAI_AGAIN: {
    code: 'HOST_NOT_FOUND',
    category: 'network',
    hint: 'DNS lookup failed temporarily; check the host name and network',
    retryable: true,
  },
  EHOSTUNREACH: {
    code: 'HOST_UNREACHABLE',
    category: 'network',
    hint: 'Check the network route and firewall to the host',
    retryable: true,
  },
  ENETUNREACH: {
    code: 'HOST_UNREACHABLE',
    category: 'network',
    hint: 'Check the network route and firewall to the host',
    retryable: true,
  },
  ETIMEDOUT: {
    code: 'CONNECT_TIMEOUT',
    category: 'timeout',
    hint: 'The server did not complete the handshake within connect_timeout; check host, port and firewall',
    retryable: true,
  },
  PROTOCOL_SEQUENCE_TIMEOUT: QUERY_TIMEOUT,
  PROTOCOL_CONNECTION_LOST: CONNECTION_LOST,
  ECONNRESET: CONNECTION_LOST,
  EPIPE: CONNECTION_LOST,
  HANDSHAKE_NO_SSL_SUPPORT: {
    ...TLS,
    hint: 'The server does not offer TLS; set it up there or drop require_ssl',
  },
  HANDSHAKE_SSL_ERROR: TLS,
};

const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_(GET|VERIFY)_|HOSTNAME_MISMATCH)/;

/** Error codes worth knowing from a driver or socket error and its causes. */
function driverFields(error: unknown): { errno?: number; code?: string; fatal?: boolean } {
  if (error === null || typeof error !== 'object') return {};
  const { errno, code, fatal } = error as { errno?: unknown; code?: unknown; fatal?: unknown };
  return {
    errno: typeof errno === 'number' && errno > 0 ? errno : undefined,
    code: typeof code === 'string' ? code : undefined,
    fatal: fatal === true,
  };
}

function ruleFor(error: unknown): Rule | undefined {
  const { errno, code, fatal } = driverFields(error);
  if (errno !== undefined && SERVER_ERRORS[errno]) return SERVER_ERRORS[errno];
  if (code !== undefined) {
    if (CLIENT_ERRORS[code]) return CLIENT_ERRORS[code];
    if (TLS_CODE.test(code)) return TLS;
  }
  if (fatal) return CONNECTION_LOST;
  const cause = (error as { cause?: unknown } | null)?.cause;
  return cause !== undefined && cause !== error ? ruleFor(cause) : undefined;
}

/** Turns a mysql2 / socket error into a categorised `ConnectorError` (one that already is passes through). */
export function classifyMysqlError(error: unknown, context: ErrorContext = {}): ConnectorError {
  if (isConnectorError(error)) return error;
  const rule = ruleFor(error) ?? { code: 'QUERY_FAILED', category: 'internal' as const };
  const detail = error instanceof Error ? error.message : String(error);
  const where = [context.server, context.database && `database ${context.database}`]
    .filter(Boolean)
    .join(', ');
  const { errno, code } = driverFields(error);
  return new ConnectorError(where ? `${detail} (${where})` : detail, {
    ...rule,
    details: { ...(errno !== undefined && { errno }), ...(code !== undefined && { driverCode: code }) },
    cause: error,
  });
}

/** True when a driver error means the connection itself is unusable (as opposed to one failed statement). */
export function isFatal(error: unknown): boolean {
  return driverFields(error).fatal === true || ruleFor(error)?.code === 'CONNECTION_LOST';
}
