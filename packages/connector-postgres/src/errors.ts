/**
 * Turns what the pg driver, the socket or the server throws into a categorised `ConnectorError`: server
 * errors by SQLSTATE (exact code first, then its class), socket errors by their Node code.
 */
import { ConnectorError, type ErrorCategory, type ErrorCode, isConnectorError } from '@osiris/core';

interface Rule {
  code: ErrorCode;
  category: ErrorCategory;
  hint?: string;
  retryable?: boolean;
}

const AUTH: Rule = {
  code: 'AUTH_FAILED',
  category: 'auth',
  hint: 'Check user and password (and pg_hba.conf)',
};
const PERMISSION: Rule = {
  code: 'PERMISSION_DENIED',
  category: 'permission',
  hint: 'Grant the user the privilege the message names, or connect as a user that has it',
};
const CANCELED: Rule = {
  code: 'QUERY_TIMEOUT',
  category: 'timeout',
  hint: 'The statement was cancelled: it ran past statement_timeout (or the timeoutMs of the call), or it was aborted',
  retryable: true,
};
const CONNECTION_LOST: Rule = {
  code: 'CONNECTION_LOST',
  category: 'network',
  hint: 'The connection dropped (server restart, terminated backend or network); retrying opens a new one',
  retryable: true,
};
const VALUE_REJECTED: Rule = {
  code: 'VALUE_REJECTED',
  category: 'config',
  hint: 'A value does not fit its column (type, range, length, NOT NULL, CHECK or a foreign key); the message names it',
};
const TLS: Rule = {
  code: 'TLS',
  category: 'network',
  hint: 'Check sslmode and ssl_ca against the certificate the server presents',
};

/** SQLSTATE codes (appendix A of the PostgreSQL manual) with a meaning of their own. */
const SQLSTATES: Record<string, Rule> = {
  '28P01': AUTH,
  '28000': {
    ...AUTH,
    hint: 'The server refused the login (pg_hba.conf has no entry allowing it, or the role cannot log in)',
  },
  '3D000': {
    code: 'DATABASE_NOT_FOUND',
    category: 'not_found',
    hint: 'Check that the database exists and its name is spelled right',
  },
  '3F000': {
    code: 'SCHEMA_NOT_FOUND',
    category: 'not_found',
    hint: 'Check the schema key: that schema does not exist',
  },
  '42P01': {
    code: 'TABLE_NOT_FOUND',
    category: 'not_found',
    hint: 'Check the table name and the schema (discover() lists the tables)',
  },
  '42703': {
    code: 'COLUMN_NOT_FOUND',
    category: 'not_found',
    hint: 'Check the column names against the table',
  },
  '42883': {
    code: 'FUNCTION_NOT_FOUND',
    category: 'not_found',
    hint: 'No function of that name takes these argument types',
  },
  '42501': PERMISSION,
  '25006': {
    code: 'READ_ONLY_VIOLATION',
    category: 'read_only',
    hint: 'The transaction is read-only (read_only: true, or a standby); use a read-write connection for writes',
  },
  '57014': CANCELED,
  '57P01': CONNECTION_LOST,
  '57P02': CONNECTION_LOST,
  '57P03': {
    code: 'SERVER_STARTING',
    category: 'network',
    hint: 'The server is starting up or shutting down; retry shortly',
    retryable: true,
  },
  '53300': {
    code: 'TOO_MANY_CONNECTIONS',
    category: 'network',
    hint: 'The server is at max_connections; lower pool_size or raise the server limit',
    retryable: true,
  },
  '40P01': {
    code: 'DEADLOCK',
    category: 'conflict',
    hint: 'The server broke a deadlock by rolling this transaction back; retry it',
    retryable: true,
  },
  '40001': {
    code: 'SERIALIZATION_FAILURE',
    category: 'conflict',
    hint: 'A concurrent transaction conflicted; retry it',
    retryable: true,
  },
  '55P03': {
    code: 'LOCK_TIMEOUT',
    category: 'timeout',
    hint: 'Another session holds the lock; retry later',
    retryable: true,
  },
  '23505': {
    code: 'DUPLICATE_KEY',
    category: 'conflict',
    hint: 'A row repeats a primary or unique key; use mode upsert',
  },
  '42601': { code: 'SQL_SYNTAX', category: 'config', hint: 'Fix the SQL near the position the server names' },
  '0A000': { code: 'UNSUPPORTED', category: 'unsupported', hint: 'The server does not support this feature' },
};

/** SQLSTATE classes (first two characters) for codes not listed above. */
const SQLSTATE_CLASSES: Record<string, Rule> = {
  '08': CONNECTION_LOST,
  '22': VALUE_REJECTED,
  '23': VALUE_REJECTED,
  '28': AUTH,
  '42': {
    code: 'SQL_INVALID',
    category: 'config',
    hint: 'Fix the statement: the server refused it as written',
  },
  '53': {
    code: 'SERVER_RESOURCES',
    category: 'internal',
    hint: 'The server ran out of a resource (disk, memory, connections)',
    retryable: true,
  },
};

/** Node socket codes with a known meaning. */
const SOCKET_CODES: Record<string, Rule> = {
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
    hint: 'DNS lookup failed; check the host name and network',
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
    hint: 'The server did not answer in time; check host, port and firewall',
    retryable: true,
  },
  ECONNRESET: CONNECTION_LOST,
  EPIPE: CONNECTION_LOST,
};

/** pg's own messages that carry no code. */
const DRIVER_MESSAGES: Array<[RegExp, Rule]> = [
  [
    /timeout expired|connection timeout|timeout exceeded when trying to connect/i,
    {
      code: 'CONNECT_TIMEOUT',
      category: 'timeout',
      hint: 'The server did not complete the handshake within connect_timeout; check host, port and firewall',
      retryable: true,
    },
  ],
  [
    /The server does not support SSL/i,
    { ...TLS, hint: 'The server offers no TLS: set it up there, or use sslmode disable' },
  ],
  [/Connection terminated|Client has encountered a connection error/i, CONNECTION_LOST],
  [/SASL|password must be a string|client password/i, AUTH],
];

const TLS_CODE =
  /^(ERR_TLS_|ERR_SSL_|CERT_|DEPTH_ZERO_|SELF_SIGNED_|UNABLE_TO_(GET|VERIFY)_|HOSTNAME_MISMATCH)/;

function ruleFor(error: unknown, depth = 0): Rule | undefined {
  if (error === null || typeof error !== 'object' || depth > 4) return undefined;
  const { code, message, cause } = error as { code?: unknown; message?: unknown; cause?: unknown };
  if (typeof code === 'string') {
    const rule =
      SQLSTATES[code] ?? (/^[0-9A-Z]{5}$/.test(code) ? SQLSTATE_CLASSES[code.slice(0, 2)] : undefined);
    if (rule !== undefined) return rule;
    if (SOCKET_CODES[code]) return SOCKET_CODES[code];
    if (TLS_CODE.test(code)) return TLS;
  }
  if (typeof message === 'string') {
    for (const [pattern, rule] of DRIVER_MESSAGES) if (pattern.test(message)) return rule;
  }
  // Node wraps the per-address failures of a host with several addresses in an AggregateError.
  const inner = error instanceof AggregateError ? error.errors[0] : cause;
  return inner !== undefined && inner !== error ? ruleFor(inner, depth + 1) : undefined;
}

/** Turns a pg / socket error into a categorised `ConnectorError`; one that already is passes through. */
export function classifyPostgresError(error: unknown, where?: string): ConnectorError {
  if (isConnectorError(error)) return error;
  const rule = ruleFor(error) ?? { code: 'QUERY_FAILED', category: 'internal' as const };
  const server = error as { code?: unknown; hint?: unknown };
  const text = error instanceof Error && error.message !== '' ? error.message : String(error);
  const sqlState =
    typeof server.code === 'string' && /^[0-9A-Z]{5}$/.test(server.code) ? server.code : undefined;
  return new ConnectorError(where === undefined ? text : `${text} (${where})`, {
    ...rule,
    // The server's own hint is more specific than ours when it gives one.
    hint: typeof server.hint === 'string' ? `${server.hint}. ${rule.hint ?? ''}`.trim() : rule.hint,
    // The server's `detail` is left out: it quotes row values (`Key (id)=(5) already exists`).
    details: sqlState === undefined ? undefined : { sqlState },
    cause: error,
  });
}
