import type { ColumnInfo, LogicalType } from '@osiris/core';

/** A column as the connector knows it, from the OpenAPI document or the catalog. */
export interface ColumnMeta {
  /** Column name. */
  name: string;
  /** Postgres type name (`bigint`, `timestamp with time zone`, `numeric(10,2)`…). */
  type: string;
  /** Logical type (see postgres-types.ts); typmods such as numeric scale are known only from the catalog. */
  logicalType: LogicalType;
  /** Whether the column may hold null. */
  nullable: boolean;
  /** Whether the column is part of the primary key. */
  primaryKey: boolean;
  /** Default expression, when there is one. */
  default?: string;
}

/** A table or view the API exposes. */
export interface TableInfo {
  /** Table name. */
  name: string;
  /** `table` or `view` (`table` when the OpenAPI document cannot tell). */
  kind: 'table' | 'view';
  /** Columns in table order. */
  columns: ColumnMeta[];
  /** Primary-key columns in key order ([] when none is known). */
  primaryKey: string[];
  /** Estimated rows, when the catalog was read. */
  rowEstimate?: number;
}

/** The type without modifiers: `numeric(10,2)` → `numeric`, `character varying(20)` → `character varying`. */
export const baseType = (type: string) => type.replace(/\(.*?\)/, '').trim();

/** A column as the data contract describes it. */
export const columnInfo = (column: ColumnMeta): ColumnInfo => ({
  name: column.name,
  type: column.logicalType,
  nativeType: column.type,
  nullable: column.nullable,
  primaryKey: column.primaryKey,
});
