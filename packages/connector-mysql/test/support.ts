import { createTestDatabase, type TestDatabase } from '@osiris/test-services';
import { afterAll, beforeAll } from 'vitest';
import { type MysqlConnection, mysqlConnector } from '../src/index.js';

/** Config keys (as a user writes them) pointing at a test database. */
export function configFor(
  db: TestDatabase,
  overrides: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    host: db.host,
    port: db.port,
    username: db.user,
    ...(db.password ? { password: db.password } : {}),
    database: db.database,
    ...overrides,
  };
}

/** Validates a config through the plugin's schema and connects, as the manager would. */
export async function connect(config: Record<string, unknown>): Promise<MysqlConnection> {
  const parsed = mysqlConnector.configSchema.parse(config);
  return (await mysqlConnector.connect(parsed, {
    reference: '@mysql.test',
    alias: 'test',
  })) as MysqlConnection;
}

/**
 * A fresh database for the file's tests and connections that are closed afterwards;
 * `open()` connects with the given config overrides.
 */
export function useDatabase(): {
  db: () => TestDatabase;
  open: (overrides?: Record<string, unknown>) => Promise<MysqlConnection>;
} {
  let db: TestDatabase | undefined;
  const opened: MysqlConnection[] = [];
  beforeAll(async () => {
    db = await createTestDatabase('osiris_mysql');
  });
  afterAll(async () => {
    await Promise.all(opened.map((connection) => connection.close()));
    await db?.drop();
  });
  return {
    db: () => db as TestDatabase,
    open: async (overrides = {}) => {
      const connection = await connect(configFor(db as TestDatabase, overrides));
      opened.push(connection);
      return connection;
    },
  };
}

/** Ids of the server threads whose `INFO` (running statement) matches `pattern`, from the admin session. */
export async function runningStatements(db: TestDatabase, pattern: string): Promise<number[]> {
  const [rows] = await db.admin.query(
    'SELECT ID AS id FROM information_schema.PROCESSLIST WHERE INFO LIKE ? AND ID <> CONNECTION_ID()',
    [pattern],
  );
  return (rows as Array<{ id: number }>).map((row) => Number(row.id));
}

/** Collects every batch of a stream. */
export async function collect<T>(stream: AsyncIterable<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for await (const batch of stream) rows.push(...batch);
  return rows;
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
