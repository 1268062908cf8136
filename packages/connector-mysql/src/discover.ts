import type { ColumnInfo, DiscoveredResource } from '@osiris/core';
import type { Session } from './session.js';

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
}

const KINDS: Record<string, string> = {
  'BASE TABLE': 'table',
  'SYSTEM VERSIONED': 'table',
  VIEW: 'view',
  SEQUENCE: 'sequence',
};

/** A column of an existing table, as information_schema describes it. */
export interface TableColumn extends ColumnInfo {
  /** Full column type (`decimal(12,2) unsigned`). */
  nativeType: string;
  /** Default expression, if any. */
  defaultValue: string | null;
  /** `PRI`, `UNI`, `MUL` or ''. */
  key: string;
  /** `auto_increment` and the like. */
  extra: string;
}

/** Tables and views of `schema` with row estimates, columns and primary keys (information_schema, parameters only). */
export async function discoverSchema(session: Session, schema: string): Promise<DiscoveredResource[]> {
  const { rows: tables } = await session.run(
    `SELECT TABLE_NAME AS name, TABLE_TYPE AS type, ENGINE AS engine, TABLE_ROWS AS rowEstimate,
            TABLE_COMMENT AS comment
       FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? ORDER BY TABLE_NAME`,
    [schema],
  );
  const columns = await tableColumns(session, schema);
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

/** Columns of every table in `schema` (or of one table), in their declared order. */
export async function tableColumns(
  session: Session,
  schema: string,
  table?: string,
): Promise<Map<string, TableColumn[]>> {
  const { rows } = await session.run(
    `SELECT TABLE_NAME AS tableName, COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable,
            COLUMN_DEFAULT AS defaultValue, COLUMN_KEY AS columnKey, EXTRA AS extra
       FROM information_schema.COLUMNS
      WHERE TABLE_SCHEMA = ? AND (? IS NULL OR TABLE_NAME = ?)
      ORDER BY TABLE_NAME, ORDINAL_POSITION`,
    [schema, table ?? null, table ?? null],
  );
  const byTable = new Map<string, TableColumn[]>();
  for (const row of rows as ColumnRow[]) {
    const list = byTable.get(row.tableName) ?? [];
    list.push({
      name: row.name,
      nativeType: row.type,
      nullable: row.nullable === 'YES',
      primaryKey: row.columnKey === 'PRI',
      defaultValue: row.defaultValue,
      key: row.columnKey,
      extra: row.extra,
    });
    byTable.set(row.tableName, list);
  }
  return byTable;
}
