/**
 * What pg_catalog says about columns: of a table (for discover, writes and table reads) and of a statement's
 * result (from the field descriptions the server sends), each as a `ColumnInfo` with its logical type.
 */
import type { ColumnInfo } from '@osiris/core';
import type pg from 'pg';
import { logicalType } from './types.js';

/** A column with its logical type settled (every column this package describes has one). */
export type PostgresColumn = ColumnInfo & Required<Pick<ColumnInfo, 'type' | 'nativeType'>>;

/** One row of the catalog queries below. */
interface CatalogRow {
  name: string;
  native: string;
  base_name: string;
  base_kind: string;
  typmod: number;
  members: string[] | null;
  not_null: boolean | null;
  primary_key: boolean | null;
}

/**
 * The shared part of both queries: `c` is a set of (name, type oid, typmod, table oid, column number, ord).
 * A domain reads as its base type, with the domain's typmod (`CREATE DOMAIN d AS numeric(10,2)`).
 */
const DESCRIBE = `
, e AS (
  -- A result column read straight from a table has that column's own type: the wire sends a domain's base type.
  SELECT c.name, c.ord, c.keeps_nulls, c.table_oid, c.colno, a.attnotnull,
         COALESCE(a.atttypid, c.type_oid) AS type_oid, COALESCE(a.atttypmod, c.typmod) AS typmod
    FROM c LEFT JOIN pg_attribute a ON a.attrelid = c.table_oid AND a.attnum = c.colno AND c.colno > 0
)
SELECT e.name,
       format_type(e.type_oid, e.typmod) AS native,
       b.typname AS base_name,
       b.typtype AS base_kind,
       CASE WHEN t.typtype = 'd' THEN t.typtypmod ELSE e.typmod END AS typmod,
       (SELECT array_agg(en.enumlabel::text ORDER BY en.enumsortorder) FROM pg_enum en WHERE en.enumtypid = b.oid) AS members,
       CASE WHEN e.keeps_nulls THEN e.attnotnull OR (t.typtype = 'd' AND t.typnotnull) END AS not_null,
       CASE WHEN e.table_oid = 0 THEN NULL ELSE EXISTS (
         SELECT 1 FROM pg_index x WHERE x.indrelid = e.table_oid AND x.indisprimary AND e.colno = ANY (x.indkey)
       ) END AS primary_key
  FROM e
  JOIN pg_type t ON t.oid = e.type_oid
  JOIN pg_type b ON b.oid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END
 ORDER BY e.ord`;

const TABLE_COLUMNS = `
WITH c AS (
  SELECT a.attname::text AS name, a.atttypid AS type_oid, a.atttypmod AS typmod, a.attrelid AS table_oid,
         a.attnum AS colno, a.attnum AS ord, true AS keeps_nulls
    FROM pg_attribute a
   WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
) ${DESCRIBE}`;

const FIELD_COLUMNS = `
WITH c AS (
  SELECT f.*, $6::bool AS keeps_nulls FROM unnest($1::text[], $2::oid[], $3::int4[], $4::oid[], $5::int2[])
         WITH ORDINALITY AS f(name, type_oid, typmod, table_oid, colno, ord)
) ${DESCRIBE}`;

function toColumn(row: CatalogRow): PostgresColumn {
  const column: PostgresColumn = {
    name: row.name,
    type: logicalType({
      name: row.base_name,
      typmod: row.typmod,
      kind: row.base_kind,
      members: row.members ?? undefined,
    }),
    nativeType: row.native,
  };
  if (row.not_null !== null) column.nullable = !row.not_null;
  if (row.primary_key !== null) column.primaryKey = row.primary_key;
  return column;
}

/** The columns of a table or view in column order; empty when there is no such table. `table` is a quoted, qualified name. */
export async function tableColumns(client: pg.ClientBase, table: string): Promise<PostgresColumn[]> {
  const { rows } = await client.query<CatalogRow>(TABLE_COLUMNS, [table]);
  return rows.map(toColumn);
}

/**
 * The columns of a statement's result, from the field descriptions the server sent with it. Nullability is
 * only known for a plain read of one table (`fromOneTable`): an outer join yields nulls in NOT NULL columns.
 */
export async function fieldColumns(
  client: pg.ClientBase,
  fields: readonly pg.FieldDef[],
  fromOneTable = false,
): Promise<PostgresColumn[]> {
  if (fields.length === 0) return [];
  const { rows } = await client.query<CatalogRow>(FIELD_COLUMNS, [
    fields.map((field) => field.name),
    fields.map((field) => field.dataTypeID),
    fields.map((field) => field.dataTypeModifier),
    fields.map((field) => field.tableID),
    fields.map((field) => field.columnID),
    fromOneTable,
  ]);
  return rows.map(toColumn);
}
