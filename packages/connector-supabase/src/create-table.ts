import { ConnectorError, type WriteColumn } from '@osiris/core';
import pg from 'pg';
import { columnDdl } from './postgres-ddl.js';
import { databaseError, type SupabaseSession } from './session.js';
import type { TableInfo } from './table-info.js';

/** `CREATE TABLE` for `columns` (logical types → postgres-ddl.ts), NOT NULL kept, the key as primary key. */
export function createTableSql(
  target: string,
  columns: readonly WriteColumn[],
  primaryKey: readonly string[],
): string {
  const q = pg.escapeIdentifier;
  const definitions = columns.map((column) => {
    const { type, check } = columnDdl(column.name, column.type);
    const notNull = column.nullable === false || primaryKey.includes(column.name);
    return `${q(column.name)} ${type}${notNull ? ' NOT NULL' : ''}${check === undefined ? '' : ` CHECK (${check})`}`;
  });
  if (primaryKey.length > 0) definitions.push(`PRIMARY KEY (${primaryKey.map(q).join(', ')})`);
  return `CREATE TABLE IF NOT EXISTS ${target} (${definitions.join(', ')})`;
}

/**
 * Creates the table through `db_url` (REST cannot run DDL) from the write's logical column types, then makes PostgREST reload its
 * schema cache and waits until the API exposes the table. Identifiers are always quoted.
 */
export async function createTable(
  session: SupabaseSession,
  table: string,
  columns: readonly WriteColumn[],
  primaryKey: readonly string[],
  signal?: AbortSignal,
): Promise<TableInfo> {
  const db = session.database();
  if (db === undefined) {
    throw new ConnectorError(`Table "${table}" does not exist and createIfMissing needs db_url`, {
      code: 'CREATE_NEEDS_DB_URL',
      category: 'config',
      hint: 'Add db_url (Project settings → Database → Connection string) to the connection, or create the table first',
    });
  }
  if (columns.length === 0) {
    throw new ConnectorError(`Cannot create "${table}": the first batch has no columns`, {
      code: 'NO_COLUMNS',
      category: 'config',
      hint: 'Write rows with at least one key, or declare columns',
    });
  }
  const q = pg.escapeIdentifier;
  const ddl = createTableSql(`${q(session.config.schema)}.${q(table)}`, columns, primaryKey);
  try {
    await db.query(ddl);
    await db.query(`NOTIFY pgrst, 'reload schema'`);
  } catch (error) {
    databaseError(error);
  }
  session.forgetTables();
  return waitForApi(session, table, signal);
}

/** Polls the API description until `table` shows up (PostgREST reloads its cache asynchronously). */
async function waitForApi(session: SupabaseSession, table: string, signal?: AbortSignal): Promise<TableInfo> {
  const deadline = Date.now() + session.config.timeout * 1000;
  for (let wait = 25; ; wait = Math.min(wait * 2, 500)) {
    signal?.throwIfAborted();
    const listed = (await session.listTables(signal, 'api')).find((t) => t.name === table);
    if (listed !== undefined) return session.describeTable(table, signal);
    if (Date.now() > deadline) {
      throw new ConnectorError(`Table "${table}" was created but the API does not show it yet`, {
        code: 'SCHEMA_CACHE_STALE',
        category: 'timeout',
        hint: "Reload the API schema cache (NOTIFY pgrst, 'reload schema') and write again",
      });
    }
    await new Promise((resolve) => setTimeout(resolve, wait));
  }
}
