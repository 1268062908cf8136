import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import { startMysqlContainer } from './mysql-container.js';

/** Where the suites find a MySQL-compatible server: `MYSQL_URL`, else the machine's MariaDB. */
export function mysqlServerUrl(): string {
  return process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306';
}

const HOW_TO_PROVIDE =
  'Start the local MariaDB (bash tooling/services/ensure-services.sh), point MYSQL_URL at a server ' +
  '(mysql://user:password@host:3306) whose user may create databases, or run a Docker engine ' +
  '(a MariaDB container is then started through testcontainers).';

let fallback: Promise<void> | undefined;

/**
 * Without MYSQL_URL and without a local server, starts a container where Docker answers and points
 * MYSQL_URL at it (once per process).
 */
function ensureServer(): Promise<void> {
  if (process.env.MYSQL_URL !== undefined) return Promise.resolve();
  fallback ??= (async () => {
    const probe = await mysql
      .createConnection({ host: '127.0.0.1', port: 3306, user: 'root', connectTimeout: 3_000 })
      .catch(() => undefined);
    if (probe !== undefined) return probe.end();
    const url = await startMysqlContainer();
    if (url !== undefined) process.env.MYSQL_URL = url;
  })();
  return fallback;
}

/** A throwaway database of the test's own on the MySQL server; `drop()` removes it. */
export interface TestDatabase {
  /** Database name (random, prefixed `osiris_test_`). */
  database: string;
  /** Server host. */
  host: string;
  /** Server port. */
  port: number;
  /** User with rights on the database. */
  user: string;
  /** Password of `user` ('' when none). */
  password: string;
  /** `mysql://` URL of the database. */
  url: string;
  /** An admin connection to the server, with this database selected; closed by `drop()`. */
  admin: mysql.Connection;
  /** Drops the database and closes the admin connection. */
  drop(): Promise<void>;
}

/**
 * Creates a fresh database. Fails (never skips) with a message saying how to provide a server
 * when none answers.
 */
export async function createTestDatabase(prefix = 'osiris_test'): Promise<TestDatabase> {
  await ensureServer();
  const server = new URL(mysqlServerUrl());
  const host = server.hostname;
  const port = Number(server.port || 3306);
  const user = decodeURIComponent(server.username || 'root');
  const password = decodeURIComponent(server.password);
  let admin: mysql.Connection;
  try {
    admin = await mysql.createConnection({
      host,
      port,
      user,
      password,
      multipleStatements: false,
      connectTimeout: 10_000,
    });
  } catch (error) {
    throw new Error(
      `Cannot reach a MySQL server at ${host}:${port} (${(error as Error).message}). ${HOW_TO_PROVIDE}`,
    );
  }
  const database = `${prefix}_${randomBytes(5).toString('hex')}`;
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
  await admin.query(`USE \`${database}\``);
  const auth = password
    ? `${encodeURIComponent(user)}:${encodeURIComponent(password)}`
    : encodeURIComponent(user);
  return {
    database,
    host,
    port,
    user,
    password,
    url: `mysql://${auth}@${host}:${port}/${database}`,
    admin,
    async drop() {
      try {
        await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
      } finally {
        await admin.end();
      }
    },
  };
}
