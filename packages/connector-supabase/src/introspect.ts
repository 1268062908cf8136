import type pg from 'pg';
import type { RestClient } from './client.js';
import { httpError, networkError, throwIfCallerAborted } from './errors.js';
import { logicalTypeOf } from './postgres-types.js';
import { parseFailure } from './request.js';
import type { ColumnMeta, TableInfo } from './table-info.js';

interface OpenApiProperty {
  format?: string;
  type?: string;
  default?: unknown;
  description?: string;
  maxLength?: number;
  enum?: string[];
}

/** PostgREST's OpenAPI 2.0 document, as far as this connector reads it. */
export interface OpenApiDocument {
  info?: { version?: string };
  definitions?: Record<string, { required?: string[]; properties?: Record<string, OpenApiProperty> }>;
}

/**
 * Fetches the OpenAPI document PostgREST serves at the API root (needs the service key on
 * hosted Supabase). supabase-js has no call for it, so this is a plain GET with the key and the timeout.
 */
export async function fetchOpenApi(
  client: RestClient,
  schema: string,
  signal?: AbortSignal,
): Promise<OpenApiDocument> {
  const context = { action: 'read the API description', schema };
  const own = signal ? AbortSignal.any([signal]) : new AbortController().signal;
  let response: Response;
  try {
    response = await client.fetchApi('/', {
      headers: { 'Accept-Profile': schema, Accept: 'application/openapi+json, application/json' },
      signal: own,
    });
  } catch (error) {
    throwIfCallerAborted(signal);
    throw networkError(error, context);
  }
  const text = await response.text();
  if (!response.ok) throw httpError(response.status, parseFailure(text), context);
  return JSON.parse(text) as OpenApiDocument;
}

/** Tables and views of the OpenAPI document (primary keys are marked `<pk/>` in descriptions). */
export function tablesFromOpenApi(doc: OpenApiDocument): TableInfo[] {
  return Object.entries(doc.definitions ?? {}).map(([name, definition]) => {
    const required = new Set(definition.required ?? []);
    const columns: ColumnMeta[] = Object.entries(definition.properties ?? {}).map(([column, property]) => ({
      name: column,
      type: property.format ?? property.type ?? 'unknown',
      // No typmods here: numeric scale and time precision are unknown (README: "without db_url").
      logicalType: logicalTypeOf(property.format ?? property.type ?? 'unknown', {
        maxLength: property.maxLength,
        members: property.enum,
        array: property.type === 'array',
      }),
      nullable: !required.has(column),
      primaryKey: property.description?.includes('<pk/>') ?? false,
      ...(property.default === undefined ? {} : { default: String(property.default) }),
    }));
    return {
      name,
      kind: 'table',
      columns,
      primaryKey: columns.filter((column) => column.primaryKey).map((column) => column.name),
    };
  });
}

const CATALOG_QUERY = `
SELECT c.relname AS table_name,
       c.relkind::text AS relkind,
       GREATEST(c.reltuples, 0)::float8 AS row_estimate,
       a.attname AS column_name,
       format_type(a.atttypid, a.atttypmod) AS column_type,
       -- A domain is mapped as its base type; an enum (or a domain over one) brings its labels.
       CASE WHEN t.typtype = 'd' THEN format_type(t.typbasetype, t.typtypmod) END AS base_type,
       (SELECT array_agg(e.enumlabel::text ORDER BY e.enumsortorder) FROM pg_enum e
         WHERE e.enumtypid = CASE WHEN t.typtype = 'd' THEN t.typbasetype ELSE t.oid END) AS enum_members,
       NOT a.attnotnull AS nullable,
       pg_get_expr(d.adbin, d.adrelid) AS column_default,
       array_position(pk.conkey, a.attnum) AS key_position
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_type t ON t.oid = a.atttypid
  LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
  LEFT JOIN pg_constraint pk ON pk.conrelid = c.oid AND pk.contype = 'p'
 WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND ($2::text IS NULL OR c.relname = $2)
 ORDER BY c.relname, a.attnum`;

interface CatalogRow {
  table_name: string;
  relkind: string;
  row_estimate: number;
  column_name: string;
  column_type: string;
  base_type: string | null;
  enum_members: string[] | null;
  nullable: boolean;
  column_default: string | null;
  key_position: number | null;
}

/** Tables and views of `schema` from the Postgres catalog (names only ever travel as parameters). */
export async function tablesFromCatalog(db: pg.Pool, schema: string, table?: string): Promise<TableInfo[]> {
  const { rows } = await db.query<CatalogRow>(CATALOG_QUERY, [schema, table ?? null]);
  const tables = new Map<string, TableInfo & { keys: [number, string][] }>();
  for (const row of rows) {
    let info = tables.get(row.table_name);
    if (info === undefined) {
      info = {
        name: row.table_name,
        kind: row.relkind === 'v' || row.relkind === 'm' ? 'view' : 'table',
        columns: [],
        primaryKey: [],
        rowEstimate: Math.round(row.row_estimate),
        keys: [],
      };
      tables.set(row.table_name, info);
    }
    info.columns.push({
      name: row.column_name,
      type: row.column_type,
      logicalType: logicalTypeOf(row.base_type ?? row.column_type, {
        members: row.enum_members ?? undefined,
      }),
      nullable: row.nullable,
      primaryKey: row.key_position !== null,
      ...(row.column_default === null ? {} : { default: row.column_default }),
    });
    if (row.key_position !== null) info.keys.push([row.key_position, row.column_name]);
  }
  return [...tables.values()].map(({ keys, ...info }) => ({
    ...info,
    primaryKey: keys.sort((a, b) => a[0] - b[0]).map(([, name]) => name),
  }));
}
