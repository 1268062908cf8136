import {
  describeConnector,
  type RoundTripTargetContext,
  type RoundTripVariant,
} from '@osiris/connector-testkit';
import { describe, test } from 'vitest';
import { supabaseConnector } from '../src/index.js';
import { useSupabase } from './support.js';

const { service, tables } = useSupabase();

/**
 * Reads give canonical values: the timestamptz(3) column's instants as `…T…:SS.mmmZ` — with 6 fraction
 * digits through the API alone, which does not tell a column's precision (README: without db_url).
 */
const normalizeAt =
  (digits: 3 | 6) =>
  (value: unknown): unknown =>
    value instanceof Date ? value.toISOString().replace('Z', digits === 6 ? '000Z' : 'Z') : value;

/** A created table's `id` is the source's integer(64): a bigint column, read back as `bigint`. */
const normalizeCreated: RoundTripVariant['normalize'] = (value, column) =>
  column === 'id' ? BigInt(value as number) : normalizeAt(3)(value);

/** A fresh table with the suite's columns, created as a user's migration would, and dropped afterwards. */
async function table(context: RoundTripTargetContext) {
  const [name] = Object.values(tables(context.name));
  await service().sql(`CREATE TABLE ${name} (
    id integer PRIMARY KEY, name text NOT NULL, score double precision NOT NULL, active boolean NOT NULL,
    created_at timestamptz(3) NOT NULL, note text)`);
  await service().reloadSchema();
  return name!;
}

const drop = (name: string) => async () => {
  await service().sql(`DROP TABLE IF EXISTS ${name}`);
};

const variant = (mode: 'append' | 'upsert' | 'replace', digits: 3 | 6): RoundTripVariant => ({
  async target(context) {
    const name = await table(context);
    return { write: { table: name, mode }, read: { table: name }, cleanup: drop(name) };
  },
  normalize: normalizeAt(digits),
});

describeConnector(supabaseConnector, {
  test: { describe, test },
  unreachableConfig: (secret, port) => ({ url: `http://127.0.0.1:${port}`, key: secret }),
  workingConfig: () => ({ url: service().url, key: service().serviceRoleKey }),
  roundTrip: { variants: { append: variant('append', 6), upsert: variant('upsert', 6) } },
});

describe('with db_url', () => {
  describeConnector(supabaseConnector, {
    test: { describe, test },
    workingConfig: () => ({ url: service().url, key: service().serviceRoleKey, db_url: service().dbUrl }),
    roundTrip: {
      variants: {
        replace: variant('replace', 3),
        // The table does not exist: the first write creates it from the declared logical column types.
        createIfMissing: {
          target: (context) => {
            const [name] = Object.values(tables(context.name)) as [string];
            return {
              write: { table: name, primaryKey: 'id', createIfMissing: true },
              read: { table: name },
              cleanup: drop(name),
            };
          },
          normalize: normalizeCreated,
        },
      },
    },
    // Covered once above with the REST-only config; these suites do not touch db_url.
    skip: ['definition', 'secret-fields', 'unreachable', 'check-timeout', 'close'],
  });
});
