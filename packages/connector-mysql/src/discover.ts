/**
 * What information_schema says about the database: tables and views with row estimates, each table's columns
 * (logical types, MariaDB's JSON included), and the TABLE_NOT_FOUND error naming the database.
 */
import { type ColumnInfo, ConnectorError, type DiscoveredResource, type LogicalType } from '@osiris/core';
import type { ServerConnection } from './server-connection.js';
import { logicalTypeOf } from './types.js';

interface TableRow {
  name: string;
  type: string;
  engine: string | null;
  rowEstimate: bigint | null;
  comment: string;
}

interface ColumnRow {
  tableName: string;
  name: string;
  type: string;
  nullable: string;
  defaultValue: string | null;
  columnKey: string;
  extra: string;
  charset: string | null;
  mariadb: number | bigint | string;
}

const KINDS: Record<string, string> = {
  'BASE TABLE': 'table',
  'SYSTEM VERSIONED': 'table',
  VIEW: 'view',
  SEQUENCE: 'sequence',
};

/** A column of an existing table, as information_schema describes it. */
export interface TableColumn extends ColumnInfo {
  /** Logical type of the column (types.ts). */
  type: LogicalType;
  /** Full column type (`decimal(12,2) unsigned`). */
  nativeType: string;
  /** Default expression, if any. */
  defaultValue: string | null;
  /** `PRI`, `UNI`, `MUL` or ''. */
  key: string;
  /** `auto_increment` and the like. */
  extra: string;
  /** Character set of a text column (`utf8mb4`), null for others. */
  charset: string | null;
}

/** Tables and views of `schema` with row estimates, columns and primary keys (information_schema, parameters only). */
export async function discoverSchema(
  connection: ServerConnection,
  schema: string,
): Promise<DiscoveredResource[]> {
  const { rows: tables } = await connection.run(
    `SELECT TABLE_NAME AS name, TABLE_TYPE AS type, ENGINE AS engine, TABLE_ROWS AS rowEstimate,
            TABLE_COMMENT AS comment
       FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME`,
    [schema],
  );
  const columns = await tableColumns(connection, schema);
  return (tables as TableRow[]).map((table) => {
    const own = columns.get(table.name) ?? [];
    const primaryKey = own.filter((column) => column.primaryKey).map((column) => column.name);
    return {
      name: table.name,
      kind: KINDS[table.type] ?? table.type.toLowerCase(),
      ...(table.rowEstimate !== null && { rowEstimate: Number(table.rowEstimate) }),
      columns: own,
      details: {
        primaryKey,
        ...(table.engine !== null && { engine: table.engine }),
        ...(table.comment !== '' && { comment: table.comment }),
      },
    };
  });
}

/** Columns of every table in `schema` (or of one table), in their declared order, with their logical types. */
export async function tableColumns(
  connection: ServerConnection,
  schema: string,
  table?: string,
): Promise<Map<string, TableColumn[]>> {
  const { rows } = await connection.run(
    `SELECT TABLE_NAME AS tableName, COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable,
            COLUMN_DEFAULT AS defaultValue, COLUMN_KEY AS columnKey, EXTRA AS extra,
            CHARACTER_SET_NAME AS charset,
            (SELECT COUNT(*) FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = 'information_schema'
                AND TABLE_NAME = 'CHECK_CONSTRAINTS' AND COLUMN_NAME = 'LEVEL') AS mariadb
       FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = ? AND (? IS NULL OR TABLE_NAME = ?)
      ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [schema, table ?? null, table ?? null],
  );
  const found = rows as ColumnRow[];
  const json = found.some((row) => Number(row.mariadb) === 1 && row.type === 'longtext')
    ? await mariadbJsonColumns(connection, schema, table)
    : new Set<string>();
  const byTable = new Map<string, TableColumn[]>();
  for (const row of found) {
    const list = byTable.get(row.tableName) ?? [];
    list.push({
      name: row.name,
      type: logicalTypeOf(row.type, json.has(`${row.tableName}.${row.name}`)),
      nativeType: json.has(`${row.tableName}.${row.name}`) ? 'json' : row.type,
      nullable: row.nullable === 'YES',
      primaryKey: row.columnKey === 'PRI',
      defaultValue: row.defaultValue,
      key: row.columnKey,
      extra: row.extra,
      charset: row.charset,
    });
    byTable.set(row.tableName, list);
  }
  return byTable;
}

/**
 * MariaDB's JSON is a LONGTEXT with a `json_valid(column)` check named after the column: the only trace of
 * it in information_schema. Returns `table.column` of each. Asked only of a server whose CHECK_CONSTRAINTS
 * has MariaDB's LEVEL column, which is what this query needs (VERSION() can be set to anything).
 */
async function mariadbJsonColumns(
  connection: ServerConnection,
  schema: string,
  table?: string,
): Promise<Set<string>> {
  const { rows } = await connection.run(
    `SELECT TABLE_NAME AS tableName, CONSTRAINT_NAME AS name
       FROM information_schema.CHECK_CONSTRAINTS
      WHERE CONSTRAINT_SCHEMA = ? AND (? IS NULL OR TABLE_NAME = ?) AND LEVEL = 'Column'
        AND CHECK_CLAUSE = CONCAT('json_valid(\`', REPLACE(CONSTRAINT_NAME, '\`', '\`\`'), '\`)')`,
    [schema, table ?? null, table ?? null],
  );
  return new Set(
    (rows as Array<{ tableName: string; name: string }>).map((row) => `${row.tableName}.${row.name}`),
  );
}

/** `TABLE_NOT_FOUND` for a table information_schema does not list; `hint` says what to do in this call. */
export function tableNotFound(schema: string, table: string, hint: string): ConnectorError {
  return new ConnectorError(`Table ${schema}.${table} does not exist`, {
    code: 'TABLE_NOT_FOUND',
    category: 'not_found',
    hint,
  });
}
