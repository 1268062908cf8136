import { type ColumnInfo, ConnectorError, type Row } from '@osiris/core';
import pg from 'pg';
import { databaseError, type SupabaseSession } from './session.js';
import type { TableInfo } from './table-info.js';

/** The Postgres type that holds every value a column shows in `rows`. */
function inferType(values: unknown[]): string {
  const kinds = new Set<string>();
  for (const value of values) {
    if (value === null || value === undefined) continue;
    if (typeof value === 'number')
      kinds.add(
        !Number.isInteger(value) ? 'double precision' : Math.abs(value) <= 2 ** 31 - 1 ? 'integer' : 'bigint',
      );
    else if (typeof value === 'bigint') kinds.add('bigint');
    else if (typeof value === 'boolean') kinds.add('boolean');
    else if (typeof value === 'string') kinds.add('text');
    else if (value instanceof Date) kinds.add('timestamp with time zone');
    else if (value instanceof Uint8Array) kinds.add('bytea');
    else kinds.add('jsonb');
  }
  if (kinds.size <= 1) return [...kinds][0] ?? 'text';
  if ([...kinds].every((k) => k === 'integer' || k === 'bigint')) return 'bigint';
  if ([...kinds].every((k) => k === 'integer' || k === 'bigint' || k === 'double precision'))
    return 'double precision';
  return kinds.has('jsonb') ? 'jsonb' : 'text';
}

/** Postgres types for the type names sources declare (portable, MySQL and Postgres spellings). */
const DECLARED_TYPES: [RegExp, string][] = [
  [/^(smallint|int2|tinyint)$/, 'smallint'],
  [/^(integer|int|int4|mediumint)$/, 'integer'],
  [/^(bigint|int8)$/, 'bigint'],
  [/^(double|double precision|float|float8|real|float4)$/, 'double precision'],
  [/^(decimal|numeric)$/, 'numeric'],
  [/^(boolean|bool)$/, 'boolean'],
  [/^(text|string|varchar|char|character varying|character|tinytext|mediumtext|longtext|enum)$/, 'text'],
  [/^(timestamp|timestamptz|datetime|timestamp with time zone)$/, 'timestamp with time zone'],
  [/^date$/, 'date'],
  [/^(json|jsonb)$/, 'jsonb'],
  [/^(bytea|blob|binary|varbinary|longblob|mediumblob)$/, 'bytea'],
  [/^uuid$/, 'uuid'],
];

function declaredType(type: string | undefined): string | undefined {
  const plain = type
    ?.toLowerCase()
    .replace(/\(.*?\)|\bunsigned\b/g, '')
    .trim();
  return plain === undefined ? undefined : DECLARED_TYPES.find(([pattern]) => pattern.test(plain))?.[1];
}

/** Column names and types for a new table: declared types where known, else inferred from the first rows. */
export function inferColumns(
  rows: Row[],
  declared: readonly ColumnInfo[] = [],
): { name: string; type: string }[] {
  const names = new Set(declared.map((c) => c.name));
  for (const row of rows) for (const key of Object.keys(row)) if (row[key] !== undefined) names.add(key);
  return [...names].map((name) => ({
    name,
    type:
      declaredType(declared.find((c) => c.name === name)?.nativeType) ??
      inferType(rows.map((row) => row[name])),
  }));
}

/**
 * Creates the table through `db_url` (REST cannot run DDL), then makes PostgREST reload its
 * schema cache and waits until the API exposes the table. Identifiers are always quoted.
 */
export async function createTable(
  session: SupabaseSession,
  table: string,
  columns: { name: string; type: string }[],
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
  const definitions = columns.map(
    (c) => `${q(c.name)} ${c.type}${primaryKey.includes(c.name) ? ' NOT NULL' : ''}`,
  );
  if (primaryKey.length > 0) definitions.push(`PRIMARY KEY (${primaryKey.map(q).join(', ')})`);
  const ddl = `CREATE TABLE IF NOT EXISTS ${q(session.config.schema)}.${q(table)} (${definitions.join(', ')})`;
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
