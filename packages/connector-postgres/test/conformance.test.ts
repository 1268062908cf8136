import { describeConnector, type RoundTripVariant } from '@osiris/connector-testkit';
import { describe, expect, test } from 'vitest';
import postgresConnector, { type PostgresConnection } from '../src/index.js';
import { configFor, useDatabase } from './support.js';

const { db } = useDatabase();

const tableVariant = (extra: Record<string, unknown>): RoundTripVariant => ({
  target: ({ connection, name }) => ({
    write: { table: name, createIfMissing: true, primaryKey: 'id', ...extra },
    read: { table: name, orderBy: 'id' },
    cleanup: async () => {
      await (connection as PostgresConnection).query(`DROP TABLE IF EXISTS "${name}"`);
    },
  }),
});

describeConnector(postgresConnector, {
  test: { describe, test },
  unreachableConfig: (secret, port) => ({
    host: '127.0.0.1',
    port,
    user: 'osiris',
    password: secret,
    database: 'osiris',
    connect_timeout: 5,
  }),
  workingConfig: () => configFor(db()),
  roundTrip: {
    variants: {
      append: tableVariant({ mode: 'append' }),
      upsert: tableVariant({ mode: 'upsert' }),
      replace: tableVariant({ mode: 'replace' }),
      query: {
        ...tableVariant({}),
        target: async (context) => {
          const base = await tableVariant({}).target(context);
          return { ...base, read: { query: `SELECT * FROM "${context.name}" WHERE id > $1`, params: [0] } };
        },
      },
    },
    async assertReleased({ connection }) {
      // The cancelled COPY's connection is back in the pool, idle, and no backend still runs it.
      const stats = () => (connection as PostgresConnection).poolStats();
      await expect.poll(() => stats().total - stats().idle, { timeout: 5_000 }).toBe(0);
    },
  },
});
