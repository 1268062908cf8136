/** Test helpers: a throwaway database per test file, connections to it through the plugin's own schema. */
import { createPostgresDatabase, type TestPostgresDatabase } from '@osiris/test-services';
import { afterAll, beforeAll } from 'vitest';
import { type PostgresConnection, postgresConnector } from '../src/index.js';

/** Config keys (as a user writes them) pointing at a test database. */
export function configFor(
  db: TestPostgresDatabase,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return { url: db.url, connect_timeout: 5, ...overrides };
}

/** Validates a config through the plugin's schema and connects, as the manager would. */
export async function connect(config: Record<string, unknown>): Promise<PostgresConnection> {
  const parsed = postgresConnector.configSchema.parse(config);
  return (await postgresConnector.connect(parsed, {
    reference: '@postgres.test',
    alias: 'test',
  })) as PostgresConnection;
}

/** A fresh database for the file's tests; `open()` connects with config overrides and is closed afterwards. */
export function useDatabase(prefix = 'osiris_pg'): {
  db: () => TestPostgresDatabase;
  open: (overrides?: Record<string, unknown>) => Promise<PostgresConnection>;
} {
  let db: TestPostgresDatabase | undefined;
  const opened: PostgresConnection[] = [];
  beforeAll(async () => {
    db = await createPostgresDatabase(prefix);
  });
  afterAll(async () => {
    await Promise.all(opened.map((connection) => connection.close()));
    await db?.drop();
  });
  return {
    db: () => db as TestPostgresDatabase,
    open: async (overrides = {}) => {
      const connection = await connect(configFor(db as TestPostgresDatabase, overrides));
      opened.push(connection);
      return connection;
    },
  };
}

/** Collects every batch of a stream. */
export async function collect<T>(stream: AsyncIterable<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for await (const batch of stream) rows.push(...batch);
  return rows;
}

/** Backends of this database running a statement that matches `pattern` (from the admin session). */
export async function runningStatements(db: TestPostgresDatabase, pattern: string): Promise<number[]> {
  const { rows } = await db.sql<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND state = 'active'
        AND query LIKE $1 AND pid <> pg_backend_pid()`,
    [pattern],
  );
  return rows.map((row) => row.pid);
}
