import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import filesystem from '@osiris/connector-fs';
import mysql from '@osiris/connector-mysql';
import { createRegistry, createResolver, loadConnections } from '@osiris/core';
import {
  createPostgresDatabase,
  createTestDatabase,
  type SupabaseTestService,
  type TestDatabase,
  type TestPostgresDatabase,
} from '@osiris/test-services';
import { prepareMariaDb } from '../src/demo/mariadb.js';
import { ORDERS_TABLE } from '../src/demo/postgres.js';
import { startLocalSupabase } from '../src/demo/postgrest.js';

export const EXAMPLES = fileURLToPath(new URL('../..', import.meta.url));
export const CONNECTIONS = join(EXAMPLES, 'osiris_connections.yaml');
export const PIPELINE = join(EXAMPLES, 'pipeline', 'pipeline.yaml');
export const SAMPLES = join(EXAMPLES, 'pipeline', 'data');

/** A MariaDB database seeded like the demo's, a PostgreSQL database with an empty orders table, a local PostgREST, an output directory, and the variables for all four. */
export interface PipelineWorld {
  mysql: TestDatabase;
  postgres: TestPostgresDatabase;
  supabase: SupabaseTestService;
  output: string;
  env: Record<string, string | undefined>;
  stop(): Promise<void>;
}

export async function createWorld(): Promise<PipelineWorld> {
  const [database, postgres, supabase, output] = await Promise.all([
    createTestDatabase('osiris_pipeline'),
    createPostgresDatabase('osiris_pipeline'),
    startLocalSupabase(),
    mkdtemp(join(tmpdir(), 'osiris-pipeline-')),
  ]);
  await postgres.sql(ORDERS_TABLE);
  const pgServer = new URL(postgres.url);
  const env = {
    PATH: process.env.PATH,
    MYSQL_HOST: database.host,
    MYSQL_PORT: String(database.port),
    MYSQL_USER: database.user,
    MYSQL_PASSWORD: database.password,
    MYSQL_DATABASE: database.database,
    POSTGRES_HOST: pgServer.hostname,
    POSTGRES_PORT: pgServer.port || '5432',
    POSTGRES_USER: decodeURIComponent(pgServer.username),
    POSTGRES_PASSWORD: decodeURIComponent(pgServer.password),
    POSTGRES_DATABASE: postgres.database,
    OSIRIS_DEMO_OUTPUT: output,
    OSIRIS_DEMO_SAMPLES: SAMPLES,
    SUPABASE_URL: supabase.url,
    SUPABASE_SERVICE_ROLE_KEY: supabase.serviceRoleKey,
  };
  const registry = createRegistry([filesystem, mysql]);
  const connections = await loadConnections({ path: CONNECTIONS, env });
  await prepareMariaDb(registry, createResolver({ registry, connections }));
  return {
    mysql: database,
    postgres,
    supabase,
    output,
    env,
    async stop() {
      await Promise.all([
        database.drop(),
        postgres.drop(),
        supabase.stop(),
        rm(output, { recursive: true, force: true }),
      ]);
    },
  };
}

/** A log stream that keeps what was written. */
export function collectingLog() {
  let text = '';
  return {
    write: (chunk: string) => {
      text += chunk;
      return true;
    },
    get text() {
      return text;
    },
  };
}
