import postgres, { type PostgresConfig } from '@osiris/connector-postgres';
import type { ConnectionResolver } from '@osiris/core';

/** The `orders` table the PostgreSQL sinks of the example fill (the Supabase API's and the direct one). */
export const ORDERS_TABLE = `CREATE TABLE orders (
  id bigint PRIMARY KEY,
  customer text NOT NULL,
  amount numeric(10, 2) NOT NULL,
  status text NOT NULL,
  note text,
  created_at timestamp NOT NULL
)`;

/**
 * Recreates the demo's own PostgreSQL database (the one `@postgres.demo` names) with an empty
 * `orders` table for the MySQL → PostgreSQL step. The database stays after the demo, to look at.
 */
export async function preparePostgres(resolver: ConnectionResolver): Promise<void> {
  const { config, reference, alias } = resolver.resolve('@postgres.demo');
  const settings = config as unknown as PostgresConfig;
  const database = String(settings.database);
  if (!/^\w+$/.test(database)) {
    throw new Error(`The demo database name must be a plain identifier, got ${database}`);
  }
  // A database cannot be dropped from a session in it: this one connection goes to the server's own.
  const server = await postgres.connect({ ...settings, database: 'postgres' }, { reference, alias });
  try {
    await server.query(`DROP DATABASE IF EXISTS "${database}" WITH (FORCE)`);
    await server.query(`CREATE DATABASE "${database}"`);
  } finally {
    await server.close();
  }
  const demo = await postgres.connect(settings, { reference, alias });
  try {
    await demo.query(ORDERS_TABLE);
  } finally {
    await demo.close();
  }
}
