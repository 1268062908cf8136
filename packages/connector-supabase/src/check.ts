import type { CheckOptions, CheckReport, DiscoveredResource } from '@osiris/core';
import { fetchOpenApi } from './introspect.js';
import type { SupabaseSession } from './session.js';
import { columnInfo } from './table-info.js';

/**
 * Reaches the API with the key and reads its description: proves URL, key and schema at once
 * (bad key → auth, nothing listening → network, schema not exposed → config).
 */
export async function checkApi(session: SupabaseSession, options: CheckOptions = {}): Promise<CheckReport> {
  const limits = [
    options.signal,
    options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs),
  ];
  const signals = limits.filter((s): s is AbortSignal => s !== undefined);
  const started = performance.now();
  const doc = await fetchOpenApi(
    session.client,
    session.config.schema,
    signals.length > 0 ? AbortSignal.any(signals) : undefined,
  );
  const latencyMs = Math.round(performance.now() - started);
  const serverVersion = doc.info?.version;
  const tables = Object.keys(doc.definitions ?? {}).length;
  const { host } = new URL(session.config.url);
  return {
    message: `PostgREST ${serverVersion ?? '(version unknown)'} at ${host}, schema ${session.config.schema}: ${tables} ${tables === 1 ? 'table or view' : 'tables and views'}, ${latencyMs} ms`,
    details: { latencyMs, serverVersion, schema: session.config.schema, tables },
  };
}

/** Tables and views of the schema with their columns and primary keys. */
export async function discoverTables(session: SupabaseSession): Promise<DiscoveredResource[]> {
  const tables = await session.listTables();
  return tables
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))
    .map((table) => ({
      name: table.name,
      kind: table.kind,
      columns: table.columns.map(columnInfo),
      ...(table.rowEstimate === undefined ? {} : { rowEstimate: table.rowEstimate }),
      details: {
        primaryKey: table.primaryKey,
        defaults: Object.fromEntries(
          table.columns.filter((c) => c.default !== undefined).map((c) => [c.name, c.default]),
        ),
      },
    }));
}
