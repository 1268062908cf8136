import { API_VERSION, type Connection, defineConnector, registerSecret } from '@osiris/core';
import { checkApi, discoverTables } from './check.js';
import { configSchema } from './config.js';
import { databaseUrl } from './direct-database.js';
import { readTable, type SupabaseReadRequest } from './read.js';
import { validReadRequest, validWriteRequest } from './request-shape.js';
import { openSession } from './session.js';
import type { TableInfo } from './table-info.js';
import { type SupabaseWriteRequest, writeRows } from './write.js';

/** A connection to one Supabase project's REST API (and, optionally, its database). */
export interface SupabaseConnection extends Connection<SupabaseReadRequest, SupabaseWriteRequest> {
  read(request: SupabaseReadRequest): ReturnType<typeof readTable>;
  write(request: SupabaseWriteRequest): ReturnType<typeof writeRows>;
  discover(): ReturnType<typeof discoverTables>;
  /** Columns, types, nullability, defaults and primary key of one table. */
  describeTable(table: string): Promise<TableInfo>;
}

/** Registers the secret values of a config so no message can carry them, whatever formats it. */
function registerSecrets(config: { key: string; db_url?: string }) {
  registerSecret(config.key);
  if (config.db_url === undefined) return;
  registerSecret(config.db_url);
  // The URI both paths connect with (libpq words put into one), and its password alone, as drivers may quote either.
  const uri = databaseUrl(config.db_url);
  registerSecret(uri);
  registerSecret(decodeURIComponent(new URL(uri).password));
}

/** The `supabase` family: paginated reads, batched writes and introspection over PostgREST. */
export const supabaseConnector = defineConnector({
  family: 'supabase',
  apiVersion: API_VERSION,
  configSchema,
  secrets: ['/key', '/db_url', '/service_role_key', '/anon_key', '/pg_dsn', '/password'],
  capabilities: ['read', 'write', 'discover'],
  summarize: (config) => `${new URL(config.url).host}/rest/v1 (schema ${config.schema})`,
  async connect(config): Promise<SupabaseConnection> {
    registerSecrets(config);
    const session = openSession(config);
    return {
      check: (options) => checkApi(session, options),
      read: (request) => readTable(session, validReadRequest(request)),
      write: async (request) => writeRows(session, validWriteRequest(request)),
      discover: () => discoverTables(session),
      describeTable: (table) => session.describeTable(table),
      close: () => session.close(),
    };
  },
});
