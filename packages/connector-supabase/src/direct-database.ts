/**
 * The bulk path's way into the database behind the API: a connection of `@osiris/connector-postgres` (an
 * optional peer dependency, used only through its public exports) opened from `db_url` on first use. Without
 * the package installed there is no direct path, and every write goes through the API as it always did.
 */

import type { PostgresConnection } from '@osiris/connector-postgres';
import { ConnectorError } from '@osiris/core';
import type { SupabaseConfig } from './config.js';
import { directError } from './direct-errors.js';

/** What the bulk path holds per Supabase connection. */
export interface DirectDatabase {
  /** The connector-postgres connection, opened on first use; undefined when the package is not installed. */
  connection(): Promise<PostgresConnection | undefined>;
  /** Ends the connection's pool, if one was opened. */
  close(): Promise<void>;
}

type PostgresModule = typeof import('@osiris/connector-postgres');

/** connector-postgres, or undefined when it is not installed next to this package. */
async function loadPostgres(): Promise<PostgresModule | undefined> {
  try {
    return await import('@osiris/connector-postgres');
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') return undefined;
    throw error;
  }
}

/** libpq's words that go into a URI's authority and path rather than its query. */
const URI_PARTS = new Set(['user', 'password', 'host', 'port', 'dbname']);

/**
 * `db_url` as a `postgres://` URI, the one form both the pg pool and connector-postgres take: a URI as it is
 * (without `pgbouncer=true`, which only tells some ORMs that the pooler is in front), libpq's
 * `key=value …` words (values optionally single-quoted, with \' and \\ escapes) put into one.
 */
export function databaseUrl(dbUrl: string): string {
  const text = dbUrl.trim();
  if (/^postgres(ql)?:\/\//i.test(text)) {
    const url = new URL(text);
    url.searchParams.delete('pgbouncer');
    return url.href;
  }
  const words: Record<string, string> = {};
  const word = /\s*([A-Za-z_]+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|([^\s']+))\s*/y;
  let at = 0;
  for (let match = word.exec(text); match !== null; match = word.exec(text)) {
    words[match[1]!] = match[2] === undefined ? match[3]! : match[2].replace(/\\(.)/g, '$1');
    at = word.lastIndex;
  }
  if (at !== text.length || Object.keys(words).length === 0) {
    throw new ConnectorError(
      'db_url is neither a postgres:// URI nor libpq key=value words (host=… dbname=… user=…)',
      {
        code: 'CONFIG_INVALID',
        category: 'config',
        hint: 'Copy the connection string from Project settings → Database → Connection string',
      },
    );
  }
  const { user, password, host, port, dbname } = words;
  const socket = host?.startsWith('/');
  const url = new URL(`postgres://${socket || host === undefined ? 'localhost' : host}`);
  if (port !== undefined) url.port = port;
  if (user !== undefined) url.username = encodeURIComponent(user);
  if (password !== undefined) url.password = encodeURIComponent(password);
  if (dbname !== undefined) url.pathname = `/${encodeURIComponent(dbname)}`;
  if (socket) url.searchParams.set('host', host!);
  for (const [key, value] of Object.entries(words)) if (!URI_PARTS.has(key)) url.searchParams.set(key, value);
  return url.href;
}

/** The direct path of one Supabase connection (see the file's opening comment). */
export function directDatabase(config: SupabaseConfig): DirectDatabase {
  let opened: Promise<PostgresConnection | undefined> | undefined;
  const open = async (dbUrl: string) => {
    const postgres = await loadPostgres();
    if (postgres === undefined) return undefined;
    const parsed = postgres.postgresConfigSchema.safeParse({
      url: databaseUrl(dbUrl),
      schema: config.schema,
      pool_size: 2,
      connect_timeout: config.timeout,
      // One COPY carries a whole write: `timeout` bounds a REST request, not a write of a million rows.
      statement_timeout: 0,
      application_name: 'osiris-supabase',
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ConnectorError(
        `db_url is not a connection string connector-postgres accepts: ${issue?.path.join('.') || 'db_url'}: ${issue?.message}`,
        {
          code: 'CONFIG_INVALID',
          category: 'config',
          hint: 'Copy the connection string from Project settings → Database → Connection string (URI)',
        },
      );
    }
    try {
      return (await postgres.postgresConnector.connect(parsed.data, {
        reference: '@supabase (db_url)',
        alias: 'db_url',
      })) as PostgresConnection;
    } catch (error) {
      throw directError(error, 'connect to the database (db_url)');
    }
  };
  return {
    connection() {
      if (config.db_url === undefined) return Promise.resolve(undefined);
      opened ??= open(config.db_url);
      // A failed open is tried again next time (the server may come up).
      opened.catch(() => (opened = undefined));
      return opened;
    },
    async close() {
      const connection = await opened?.catch(() => undefined);
      opened = undefined;
      await connection?.close();
    },
  };
}
