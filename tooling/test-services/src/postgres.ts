import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Where the suites find a PostgreSQL server: `DATABASE_URL`, else the machine's server (trust auth). */
export function postgresServerUrl(): string {
  return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
}

const HOW_TO_PROVIDE =
  'Start the local PostgreSQL (bash tooling/services/ensure-services.sh) or point DATABASE_URL at a server ' +
  '(postgres://user:password@host:5432/postgres) whose user may create databases and roles.';

/** A throwaway PostgreSQL database of the test's own; `drop()` removes it. */
export interface TestPostgresDatabase {
  /** Database name (random, prefixed). */
  database: string;
  /** `postgres://` URL of the database, as the server's admin user. */
  url: string;
  /** An admin client connected to this database; closed by `drop()`. */
  admin: pg.Client;
  /** Runs one statement as the admin user. */
  sql<R extends pg.QueryResultRow = pg.QueryResultRow>(
    text: string,
    params?: unknown[],
  ): Promise<pg.QueryResult<R>>;
  /** Drops the database (ending any session still in it) and closes the admin client. */
  drop(): Promise<void>;
}

/** Connects to `url`, failing with a message that says how to provide a server when none answers. */
export async function connectAdmin(url: string): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  try {
    await client.connect();
  } catch (error) {
    const where = new URL(url);
    throw new Error(
      `Cannot reach PostgreSQL at ${where.hostname}:${where.port || 5432} (${(error as Error).message}). ${HOW_TO_PROVIDE}`,
    );
  }
  return client;
}

/** The URL of database `database` on the server of `serverUrl`. */
export function databaseUrl(serverUrl: string, database: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${encodeURIComponent(database)}`;
  return url.toString();
}

/** Creates a fresh database on the server. Fails (never skips) when no server answers. */
export async function createPostgresDatabase(prefix = 'osiris_test'): Promise<TestPostgresDatabase> {
  const serverUrl = postgresServerUrl();
  const server = await connectAdmin(serverUrl);
  const database = `${prefix}_${randomBytes(5).toString('hex')}`;
  try {
    await server.query(`CREATE DATABASE ${pg.escapeIdentifier(database)}`);
  } finally {
    await server.end();
  }
  const url = databaseUrl(serverUrl, database);
  const admin = await connectAdmin(url);
  return {
    database,
    url,
    admin,
    sql: (text, params) => admin.query(text, params),
    async drop() {
      await admin.end().catch(() => undefined);
      const server = await connectAdmin(serverUrl);
      try {
        await server.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(database)} WITH (FORCE)`);
      } finally {
        await server.end();
      }
    },
  };
}
