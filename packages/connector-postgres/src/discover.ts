/** `discover()`: the tables, views and materialized views of the schema, with row estimates, columns and primary keys. */
import type { DiscoveredResource } from '@osiris/core';
import { tableColumns } from './catalog.js';
import type { Session } from './session.js';
import { qualifiedName } from './sql.js';

const KINDS: Record<string, string> = {
  r: 'table',
  p: 'table',
  v: 'view',
  m: 'materialized view',
  f: 'foreign table',
};

const RELATIONS = `
SELECT c.relname, c.relkind, c.reltuples::float8 AS estimate, obj_description(c.oid, 'pg_class') AS comment
  FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
 WHERE n.nspname = $1 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') AND NOT c.relispartition
 ORDER BY c.relname`;

/** Everything a connection can read in `schema`. */
export async function discoverSchema(session: Session, schema: string): Promise<DiscoveredResource[]> {
  const { rows } = await session.run(RELATIONS, [schema]);
  const resources: DiscoveredResource[] = [];
  for (const [name, relkind, estimate, comment] of rows as string[][]) {
    const columns = await tableColumns(session.client, qualifiedName(schema, name as string));
    const primaryKey = columns.filter((column) => column.primaryKey).map((column) => column.name);
    // reltuples is -1 for a table never vacuumed or analyzed: the server does not know yet.
    const rowEstimate = Number(estimate);
    resources.push({
      name: name as string,
      kind: KINDS[relkind as string] ?? 'table',
      ...(rowEstimate >= 0 &&
        KINDS[relkind as string] !== 'view' && { rowEstimate: Math.round(rowEstimate) }),
      columns,
      details: { schema, ...(primaryKey.length > 0 && { primaryKey }), ...(comment !== null && { comment }) },
    });
  }
  return resources;
}
