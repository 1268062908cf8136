import filesystem from '@osiris/connector-fs';
import mysql, { type MysqlConfig } from '@osiris/connector-mysql';
import { type ConnectionResolver, createConnectionManager, type Registry } from '@osiris/core';

// Qualified: a pool may run each statement on another session, so no USE.
const createOrders = (database: string) => `CREATE TABLE \`${database}\`.orders (
  id INT PRIMARY KEY,
  customer VARCHAR(100) NOT NULL,
  amount DECIMAL(10, 2) NOT NULL,
  status VARCHAR(20) NOT NULL,
  note VARCHAR(200) NULL,
  created_at DATETIME NOT NULL
) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`;

/**
 * Recreates the demo's own database (the one `@mysql.demo` names) with an `orders` table, and
 * loads the bundled sample file into it through the connectors. Returns the rows loaded.
 */
export async function prepareMariaDb(registry: Registry, resolver: ConnectionResolver): Promise<number> {
  const { config, reference, alias } = resolver.resolve('@mysql.demo');
  const database = String(config.database);
  if (!/^\w+$/.test(database)) {
    throw new Error(`The demo database name must be a plain identifier, got ${database}`);
  }

  // The database is about to be dropped, so this one connection names none. (resolve() returns
  // the config the mysql schema validated, typed as a plain record.)
  const serverConfig = { ...(config as unknown as MysqlConfig), database: undefined };
  const server = await mysql.connect(serverConfig, { reference, alias });
  try {
    await server.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await server.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`);
    await server.query(createOrders(database));
  } finally {
    await server.close();
  }

  await using manager = createConnectionManager({ registry, resolver });
  const samples = await manager.get('@filesystem.samples', filesystem);
  const target = await manager.get('@mysql.demo', mysql);
  const result = await target.write({
    table: 'orders',
    mode: 'append',
    rows: samples.read({ path: 'orders.csv' }),
  });
  return result.rowsWritten;
}
