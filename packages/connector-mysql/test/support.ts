import { type AddressInfo, createServer, connect as netConnect, type Socket } from 'node:net';
import { createConnectionManager, createRegistry, createResolver, parseConnections } from '@osiris/core';
import { createTestDatabase, type TestDatabase } from '@osiris/test-services';

export { canaryLeaks, closedPort, errorOutputs, newCanary, silentListener } from '@osiris/connector-testkit';

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

/**
 * One alias in a connections file, resolved by core's real resolver with the password as `${MYSQL_PASSWORD}`
 * (so the resolver registers it as a secret), and a manager for it.
 */
export function managedAlias(config: Record<string, unknown>, password?: string) {
  const written = password === undefined ? config : { ...config, password: '${MYSQL_PASSWORD}' };
  const connections = parseConnections(
    JSON.stringify({ connections: { mysql: { main: written } } }),
    '/t/osiris_connections.yaml',
  );
  const registry = createRegistry([mysqlConnector]);
  const resolver = createResolver({
    registry,
    connections,
    env: password === undefined ? {} : { MYSQL_PASSWORD: password },
  });
  return {
    registry,
    resolver,
    manager: createConnectionManager({ registry, resolver }),
    reference: '@mysql.main',
  };
}

/** A loopback TCP proxy to the test server whose open connections can be frozen (a half-open link). */
export async function freezableProxy(target: { host: string; port: number }) {
  const pairs = new Set<[Socket, Socket]>();
  const server = createServer((client) => {
    const upstream = netConnect(target.port, target.host);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    client.pipe(upstream);
    upstream.pipe(client);
    const drop = () => {
      client.destroy();
      upstream.destroy();
      pairs.delete(pair);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    /** Stops forwarding in both directions on every connection open now; new ones still work. */
    freeze() {
      for (const [client, upstream] of pairs) {
        client.unpipe(upstream);
        upstream.unpipe(client);
        client.pause();
        upstream.pause();
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const [client, upstream] of pairs) {
          client.destroy();
          upstream.destroy();
        }
        server.close(() => resolve());
      }),
  };
}
