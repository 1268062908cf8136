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

/**
 * `db_url` as connector-postgres's config keys: a `postgres://` URI as its `url` (without `pgbouncer=true`,
 * which only tells some ORMs that the pooler is in front), or libpq's `key=value …` words as the keys themselves.
 */
export function databaseFields(dbUrl: string): Record<string, string> {
  if (/^postgres(ql)?:\/\//i.test(dbUrl.trim())) {
    const url = new URL(dbUrl.trim());
    url.searchParams.delete('pgbouncer');
    return { url: url.href };
  }
  const fields: Record<string, string> = {};
  // libpq: key = value, the value optionally in single quotes with \' and \\ escapes.
  const word = /\s*([A-Za-z_]+)\s*=\s*(?:'((?:[^'\\]|\\.)*)'|(\S+))/y;
  for (let match = word.exec(dbUrl); match !== null; match = word.exec(dbUrl)) {
    fields[match[1]!] = match[2] === undefined ? match[3]! : match[2].replace(/\\(.)/g, '$1');
    if (word.lastIndex === dbUrl.length) return fields;
  }
  if (dbUrl.slice(word.lastIndex).trim() === '' && Object.keys(fields).length > 0) return fields;
  throw new ConnectorError(
    'db_url is neither a postgres:// URL nor libpq key=value words (host=… dbname=… user=…)',
    {
      code: 'DATABASE_URL_INVALID',
      category: 'config',
      hint: 'Copy the connection string from Project settings → Database → Connection string (URI)',
    },
  );
}

/** The direct path of one Supabase connection (see the file's opening comment). */
export function directDatabase(config: SupabaseConfig): DirectDatabase {
  let opened: Promise<PostgresConnection | undefined> | undefined;
  const open = async (dbUrl: string) => {
    const postgres = await loadPostgres();
    if (postgres === undefined) return undefined;
    const parsed = postgres.postgresConfigSchema.safeParse({
      ...databaseFields(dbUrl),
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
          code: 'DATABASE_URL_INVALID',
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
