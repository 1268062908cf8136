import { randomBytes } from 'node:crypto';
import {
  type SupabaseTestService,
  startSupabaseTestService,
  usesExternalSupabase,
} from '@osiris/test-services';
import { afterAll, beforeAll } from 'vitest';
import { type SupabaseConnection, supabaseConnector } from '../src/index.js';

/** A test file's own Supabase-shaped API (a real PostgREST over a fresh database), stopped after the file. */
export function useSupabase(): {
  service: () => SupabaseTestService;
  connect: (overrides?: Record<string, unknown>) => Promise<SupabaseConnection>;
  /** The file's names for its tables: as given locally (the database is the file's own), prefixed on a shared project. */
  tables: <N extends string>(...names: N[]) => Record<N, string>;
} {
  let service: SupabaseTestService | undefined;
  const open: SupabaseConnection[] = [];
  const tablePrefix = usesExternalSupabase() ? `osiris_t${randomBytes(4).toString('hex')}_` : '';
  beforeAll(async () => {
    service = await startSupabaseTestService({ tablePrefix });
  });
  afterAll(async () => {
    await Promise.all(open.map((connection) => connection.close()));
    await service?.stop();
  });
  return {
    tables: (...names) => Object.fromEntries(names.map((name) => [name, `${tablePrefix}${name}`])) as never,
    service: () => service!,
    async connect(overrides = {}) {
      const config = supabaseConnector.configSchema.parse({
        url: service!.url,
        key: service!.serviceRoleKey,
        schema: service!.schema,
        ...overrides,
      });
      const connection = await supabaseConnector.connect(config, {
        reference: '@supabase.test',
        alias: 'test',
      });
      open.push(connection);
      return connection;
    },
  };
}

/** Every row of a read, flattened. */
export async function readAll(batches: AsyncIterable<Record<string, unknown>[]>) {
  const rows: Record<string, unknown>[] = [];
  for await (const batch of batches) rows.push(...batch);
  return rows;
}

/** The error `promise` rejects with (fails the test when it resolves). */
export async function failure(promise: Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await promise;
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected a failure, but it succeeded');
}

/** A secret value unique to this run, to look for in every output. */
export const canary = () => `osiris-canary-${randomBytes(12).toString('hex')}`;
