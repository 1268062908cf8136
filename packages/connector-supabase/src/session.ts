import { ConnectorError, withRetry, withTimeout } from '@osiris/core';
import pg from 'pg';
import { createRestClient, type RestClient } from './client.js';
import type { SupabaseConfig } from './config.js';
import { type DirectDatabase, databaseUrl, directDatabase } from './direct-database.js';
import { type FailureContext, provablyNotExecuted } from './errors.js';
import { fetchOpenApi, tablesFromCatalog, tablesFromOpenApi } from './introspect.js';
import { type Builder, type PostgrestResult, send } from './request.js';
import type { TableInfo } from './table-info.js';

/** Everything one connection holds: the client, the optional database pool and what it learnt. */
export interface SupabaseSession {
  /** The validated config. */
  config: SupabaseConfig;
  /** The connection's one supabase-js client. */
  client: RestClient;
  /** Sends one built request; throws a categorised `ConnectorError`. */
  send<T>(
    builder: Builder<T>,
    context: Omit<FailureContext, 'schema'>,
    signal?: AbortSignal,
  ): Promise<PostgrestResult<T>>;
  /**
   * Runs `attempt` again on transient failures (`retries` times at most), with backoff and jitter,
   * all within `timeout` seconds: each attempt gets the signal of that deadline, and at the deadline
   * the operation fails with `OPERATION_TIMEOUT` however many attempts were left.
   */
  retrying<T>(
    signal: AbortSignal | undefined,
    attempt: (signal: AbortSignal) => Promise<T>,
    options?: RetryingOptions,
  ): Promise<T>;
  /** Columns and primary key of a table (cached); `TABLE_NOT_FOUND` when the API does not expose it. */
  describeTable(table: string, signal?: AbortSignal): Promise<TableInfo>;
  /** Every table and view of the schema (fresh), from the catalog when `db_url` is set unless `from` is `api`. */
  listTables(signal?: AbortSignal, from?: 'api'): Promise<TableInfo[]>;
  /** Forgets what was learnt about tables (after DDL). */
  forgetTables(): void;
  /** The `db_url` pool, opened on first use; undefined when no `db_url` is configured. */
  database(): pg.Pool | undefined;
  /** The bulk path through connector-postgres (COPY), when `db_url` is set and the package is installed. */
  direct: DirectDatabase;
  /** Releases the pools. */
  close(): Promise<void>;
}

/** What `retrying` reports. */
export interface RetryingOptions {
  /** Called before each retry. */
  onRetry?: () => void;
  /** What the operation does (`upsert batch 3 (rows 1001–1500) into users`), for the timeout message. */
  action?: string;
}

/** Backoff of retried requests: full jitter up to 250 ms × 2^n, never above 5 s. */
const BACKOFF = { baseMs: 250, maxMs: 5000 };

export function openSession(config: SupabaseConfig): SupabaseSession {
  const client = createRestClient({
    url: config.url,
    key: config.key,
    schema: config.schema,
    timeoutMs: config.timeout * 1000,
  });
  let pool: pg.Pool | undefined;
  const direct = directDatabase(config);
  const cache = new Map<string, TableInfo>();

  const listTables = async (signal?: AbortSignal, from?: 'api'): Promise<TableInfo[]> => {
    const db = from === 'api' ? undefined : session.database();
    if (db !== undefined) return tablesFromCatalog(db, config.schema).catch(databaseError);
    const doc = await session.retrying(signal, (bounded) => fetchOpenApi(client, config.schema, bounded));
    return tablesFromOpenApi(doc);
  };

  const session: SupabaseSession = {
    config,
    client,
    send: (builder, context, signal) => send(client, builder, { ...context, schema: config.schema }, signal),
    retrying: (signal, attempt, options = {}) => withinDeadline(config, signal, attempt, options),
    async describeTable(table, signal) {
      const known = cache.get(table);
      if (known !== undefined) return known;
      const db = session.database();
      const found =
        db !== undefined
          ? (await tablesFromCatalog(db, config.schema, table).catch(databaseError))[0]
          : (await listTables(signal)).find((t) => t.name === table);
      if (found === undefined) {
        throw new ConnectorError(`Table "${table}" was not found in schema "${config.schema}"`, {
          code: 'TABLE_NOT_FOUND',
          category: 'not_found',
          hint: `Table missing or not exposed; check the schema ("${config.schema}") and grants, and the spelling`,
        });
      }
      cache.set(table, found);
      return found;
    },
    listTables,
    forgetTables: () => cache.clear(),
    database() {
      if (config.db_url === undefined) return undefined;
      pool ??= new pg.Pool({
        connectionString: databaseUrl(config.db_url),
        max: 2,
        connectionTimeoutMillis: config.timeout * 1000,
        statement_timeout: config.timeout * 1000,
      });
      return pool;
    },
    direct,
    async close() {
      const open = pool;
      pool = undefined;
      await Promise.all([open?.end(), direct.close()]);
    },
  };
  return session;
}

/**
 * `withRetry` inside one deadline of `timeout` seconds. The timeout error says whether a request may
 * have run: a deadline that struck between attempts that provably changed nothing changed nothing.
 */
function withinDeadline<T>(
  config: SupabaseConfig,
  signal: AbortSignal | undefined,
  attempt: (signal: AbortSignal) => Promise<T>,
  { onRetry, action = 'finish the request' }: RetryingOptions,
): Promise<T> {
  let attempts = 0;
  let inFlight = false;
  let mayHaveRun = false;
  let lastError: unknown;
  return withTimeout(
    (bounded) =>
      withRetry(
        async () => {
          attempts++;
          inFlight = true;
          try {
            return await attempt(bounded);
          } catch (error) {
            if (!provablyNotExecuted(error)) mayHaveRun = true;
            lastError = error;
            throw error;
          } finally {
            inFlight = false;
          }
        },
        { attempts: config.retries + 1, ...BACKOFF, signal: bounded, onRetry },
      ),
    {
      ms: config.timeout * 1000,
      signal,
      timeoutError: () =>
        new ConnectorError(
          `Supabase: could not ${action}: no answer within the ${config.timeout} s \`timeout\` (${attempts} ${attempts === 1 ? 'attempt' : 'attempts'}${
            lastError instanceof Error ? `; the last failure: ${lastError.message}` : ''
          })`,
          {
            code: 'OPERATION_TIMEOUT',
            category: 'timeout',
            hint: 'Raise `timeout` (seconds: it bounds each request with its retries), or lower batch_size so each request does less work',
            retryable: true,
            details: { attempts, execution: inFlight || mayHaveRun ? 'unknown' : 'no' },
            ...(lastError === undefined ? {} : { cause: lastError }),
          },
        ),
    },
  );
}

/** The catalogued code of each kind of `db_url` failure (the same codes the REST path uses). */
export const DATABASE_CODES = {
  auth: 'AUTH_FAILED',
  permission: 'PERMISSION_DENIED',
  timeout: 'QUERY_TIMEOUT',
  network: 'HOST_UNREACHABLE',
  internal: 'QUERY_FAILED',
} as const;

/** A `db_url` failure, categorised like the REST ones (the URL itself is a registered secret). */
export function databaseError(error: unknown): never {
  const code = (error as { code?: string }).code ?? '';
  const category =
    code === '28P01' || code === '28000'
      ? 'auth'
      : code === '42501'
        ? 'permission'
        : code === '57014'
          ? 'timeout'
          : /^(ECONN|ENOTFOUND|EAI_|ETIMEDOUT)/.test(code) || /timeout|terminated/i.test(String(error))
            ? 'network'
            : 'internal';
  throw new ConnectorError(`Supabase database (db_url) request failed: ${(error as Error).message}`, {
    code: DATABASE_CODES[category],
    category,
    hint:
      category === 'auth' || category === 'network'
        ? 'Check `db_url` (Project settings → Database → Connection string)'
        : undefined,
    cause: error,
  });
}
