import { describeConnector, type RoundTripVariant } from '@osiris/connector-testkit';
import { describe, expect, test } from 'vitest';
import mysqlConnector, { type MysqlConnection } from '../src/index.js';
import { configFor, useDatabase } from './support.js';

const { db } = useDatabase();

/** MySQL has no boolean: a created table holds one as TINYINT(1), which reads back as integer(8) 1/0 (README). */
const normalize: RoundTripVariant['normalize'] = (value) =>
  typeof value === 'boolean' ? Number(value) : value;

const tableVariant = (extra: Record<string, unknown>): RoundTripVariant => ({
  target: ({ connection, name }) => ({
    write: { table: name, createIfMissing: true, primaryKey: 'id', ...extra },
    read: { table: name, orderBy: 'id' },
    cleanup: async () => {
      await (connection as MysqlConnection).query(`DROP TABLE IF EXISTS \`${name}\``);
    },
  }),
  normalize,
});

describeConnector(mysqlConnector, {
  test: { describe, test },
  unreachableConfig: (secret, port) => ({
    host: '127.0.0.1',
    port,
    username: 'osiris',
    password: secret,
    database: 'osiris',
    connect_timeout: 5,
  }),
  workingConfig: () => configFor(db()),
  roundTrip: {
    variants: {
      insert: tableVariant({ method: 'insert' }),
      'load-data': tableVariant({ method: 'load-data' }),
      upsert: tableVariant({ mode: 'upsert' }),
      replace: tableVariant({ mode: 'replace' }),
    },
    async assertReleased({ connection }) {
      // The kill of an abandoned statement lands asynchronously; the connection then returns to the pool.
      await expect.poll(() => (connection as MysqlConnection).poolStats().busy, { timeout: 5_000 }).toBe(0);
    },
  },
});
