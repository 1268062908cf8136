/**
 * The pg pool of one alias: how to reach the server (TLS per sslmode) and the session settings every
 * connection starts with. They travel in the startup packet, so they are the session's defaults: `RESET ALL`
 * and `DISCARD ALL` return to them, and no SET in a statement outlives the session reset.
 */
import { readFileSync } from 'node:fs';
import { Socket } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import pg from 'pg';
import type { PostgresConfig } from './config.js';

/**
 * Settings the value decoders rely on: ISO dates, UTC instants, hex bytea, shortest-exact floats, and
 * standard strings (which the read-only check's lexer assumes: a backslash in '…' is an ordinary character).
 */
const SESSION_SETTINGS = {
  DateStyle: 'ISO',
  TimeZone: 'UTC',
  IntervalStyle: 'postgres',
  bytea_output: 'hex',
  extra_float_digits: '1',
  standard_conforming_strings: 'on',
  client_encoding: 'UTF8',
};

/** The `options` startup parameter: `-c name=value` per setting. */
function startupOptions(readOnly: boolean): string {
  const settings: Record<string, string> = { ...SESSION_SETTINGS };
  if (readOnly) settings.default_transaction_read_only = 'on';
  return Object.entries(settings)
    .map(([name, value]) => `-c ${name}=${value}`)
    .join(' ');
}

/** The CA a verify mode trusts: the PEM text itself, or the file it names. */
function certificateAuthority(ssl_ca: string | undefined): string | undefined {
  if (ssl_ca === undefined) return undefined;
  return ssl_ca.includes('-----BEGIN') ? ssl_ca : readFileSync(ssl_ca, 'utf8');
}

/** Node TLS options for an sslmode, as libpq reads it. */
function tlsOptions(config: PostgresConfig): ConnectionOptions | false {
  switch (config.sslmode) {
    case 'disable':
      return false;
    case 'require':
      // Encrypted, but any certificate is accepted: libpq's require.
      return { rejectUnauthorized: false };
    case 'verify-ca':
      return {
        ca: certificateAuthority(config.ssl_ca),
        rejectUnauthorized: true,
        checkServerIdentity: () => undefined,
      };
    case 'verify-full':
      return { ca: certificateAuthority(config.ssl_ca), rejectUnauthorized: true, servername: config.host };
  }
}

/** A pg pool, and a way to cut every socket it has open (for a close that cannot wait). */
export interface PostgresPool {
  /** The pool. */
  pool: pg.Pool;
  /** Destroys every socket of the pool, connected or still connecting. */
  destroySockets(): void;
}

/** A pg pool for the config. */
export function createPool(config: PostgresConfig): PostgresPool {
  const sockets = new Set<Socket>();
  const pool = new pg.Pool({
    host: config.host,
    port: config.port,
    database: config.database,
    user: config.user,
    password: config.password,
    ssl: tlsOptions(config),
    max: config.pool_size,
    connectionTimeoutMillis: config.connect_timeout * 1000,
    idleTimeoutMillis: 30_000,
    application_name: config.application_name,
    statement_timeout: Math.round(config.statement_timeout * 1000),
    options: startupOptions(config.read_only),
    keepAlive: true,
    // Our own sockets, so that close() can end a connect that would otherwise wait out connect_timeout.
    stream: () => {
      const socket = new Socket();
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
      return socket;
    },
  });
  return {
    pool,
    destroySockets: () => {
      for (const socket of sockets) socket.destroy();
    },
  };
}
