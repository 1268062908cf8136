/** The table `createIfMissing` creates: one MySQL column type per logical type (types.ts), NOT NULL and keys kept. */
import type { LogicalType } from '@osiris/core';
import { quoteIdentifier } from '../sql.js';
import { logicalTypeOf, mysqlTypeFor } from '../types.js';

/** A column of a table to create. */
export interface CreatedColumn {
  /** Column name. */
  name: string;
  /** Its MySQL column type (`DECIMAL(12,2)`, `VARCHAR(255)`…). */
  nativeType: string;
  /** The logical type that MySQL type holds (what values are checked against). */
  type: LogicalType;
  /** False for NOT NULL (key columns always are). */
  nullable: boolean;
}

/** The columns a created table gets for the written columns' logical types; `TYPE_UNSUPPORTED` before anything runs. */
export function createdColumns(
  columns: ReadonlyArray<{ name: string; type: LogicalType; nullable?: boolean }>,
  primaryKey: readonly string[],
): CreatedColumn[] {
  const keys = new Set(primaryKey);
  return columns.map((column) => {
    const isKey = keys.has(column.name);
    const nativeType = mysqlTypeFor(column.name, column.type, isKey);
    return {
      name: column.name,
      nativeType,
      type: logicalTypeOf(nativeType),
      nullable: !isKey && column.nullable !== false,
    };
  });
}

/** `CREATE TABLE` for the columns, with the primary key when one is given. */
export function createTableStatement(
  table: string,
  columns: readonly CreatedColumn[],
  primaryKey: readonly string[],
): string {
  const definitions = columns.map(
    (column) =>
      `${quoteIdentifier(column.name, 'column name')} ${column.nativeType}${column.nullable ? ' NULL' : ' NOT NULL'}`,
  );
  if (primaryKey.length > 0) {
    definitions.push(
      `PRIMARY KEY (${primaryKey.map((name) => quoteIdentifier(name, 'column name')).join(', ')})`,
    );
  }
  return `CREATE TABLE ${quoteIdentifier(table, 'table name')} (${definitions.join(', ')})`;
}
