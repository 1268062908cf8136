import { type CheckOptions, type CheckReport, ConnectorError, type DiscoveredResource } from '@osiris/core';
import { directError } from './direct-errors.js';
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
  const database = await checkDatabase(session, signals);
  return {
    message: `PostgREST ${serverVersion ?? '(version unknown)'} at ${host}, schema ${session.config.schema}: ${tables} ${tables === 1 ? 'table or view' : 'tables and views'}, ${latencyMs} ms; ${database.message}`,
    details: { latencyMs, serverVersion, schema: session.config.schema, tables, dbUrl: database.details },
  };
}

/**
 * What `db_url` gives: not set; set but connector-postgres not installed (writes stay on the API); or the
 * database's answer. A `db_url` that does not answer fails the check: DDL and large writes would fail.
 */
async function checkDatabase(session: SupabaseSession, signals: AbortSignal[]) {
  if (session.config.db_url === undefined) {
    return { message: 'db_url not set (every write goes through the API)', details: { configured: false } };
  }
  const direct = await session.direct.connection();
  if (direct === undefined) {
    return {
      message:
        'db_url set, but @osiris/connector-postgres is not installed: writes go through the API (install it for COPY)',
      details: { configured: true, copy: false },
    };
  }
  let report: Awaited<ReturnType<typeof direct.check>>;
  try {
    report = await direct.check(signals.length > 0 ? { signal: AbortSignal.any(signals) } : {});
  } catch (error) {
    const failed = directError(error, 'reach the database', { schema: session.config.schema });
    throw new ConnectorError(`The API answers, but db_url does not: ${failed.message}`, {
      code: failed.code,
      category: failed.category,
      hint: failed.hint,
      retryable: failed.retryable,
      details: failed.details,
      cause: failed,
    });
  }
  const details = report.details ?? {};
  return {
    message: `db_url: ${report.message}, ${details.latencyMs} ms (writes of ${session.config.copy_threshold}+ rows go through COPY)`,
    details: {
      configured: true,
      copy: true,
      copyThreshold: session.config.copy_threshold,
      version: details.version,
      user: details.user,
      latencyMs: details.latencyMs,
    },
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
