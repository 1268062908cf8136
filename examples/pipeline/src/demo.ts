/**
 * `pnpm demo`: the example pipeline end to end on this machine. Prepares sample data in
 * MariaDB, an empty table in PostgreSQL, starts a local PostgREST, runs `osiris-connections
 * doctor`, then the pipeline (MySQL table → deterministic CSV → Supabase table; MySQL table →
 * PostgreSQL table), and says where the rows went. A server that cannot be reached is skipped,
 * with the reason; the filesystem part always runs.
 */
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import filesystem from '@osiris/connector-fs';
import mysql from '@osiris/connector-mysql';
import postgres from '@osiris/connector-postgres';
import { createRegistry, createResolver, loadConnections } from '@osiris/core';
import type { SupabaseTestService } from '@osiris/test-services';
import { mysqlServerUrl, postgresServerUrl } from '@osiris/test-services';
import { prepareMariaDb } from './demo/mariadb.js';
import { preparePostgres } from './demo/postgres.js';
import { startLocalSupabase } from './demo/postgrest.js';
import { runPipelineFile } from './runner.js';

const examples = fileURLToPath(new URL('../..', import.meta.url));
const root = dirname(examples);
const CONNECTIONS = join(examples, 'osiris_connections.yaml');
const PIPELINE = join(examples, 'pipeline', 'pipeline.yaml');
const output = resolve(process.env.OSIRIS_DEMO_OUTPUT ?? join(root, '.demo-output'));
const count = new Intl.NumberFormat('en-US').format;
/** A path as a person at the repository root would type it. */
const shown = (path: string) => (path.startsWith(`${root}/`) ? relative(root, path) : path);
const heading = (text: string) => console.log(`\n==> ${text}`);
const firstLine = (error: unknown) => (error instanceof Error ? error.message : String(error)).split('\n')[0];

/** The variables `examples/osiris_connections.yaml` reads, set to what this demo prepares. */
function demoEnv(): Record<string, string | undefined> {
  const server = new URL(mysqlServerUrl());
  const pgServer = new URL(postgresServerUrl());
  return {
    ...process.env,
    MYSQL_HOST: server.hostname,
    MYSQL_PORT: server.port || '3306',
    MYSQL_USER: decodeURIComponent(server.username || 'root'),
    MYSQL_PASSWORD: decodeURIComponent(server.password),
    MYSQL_DATABASE: process.env.MYSQL_DATABASE ?? 'osiris_demo',
    POSTGRES_HOST: pgServer.hostname,
    POSTGRES_PORT: pgServer.port || '5432',
    POSTGRES_USER: decodeURIComponent(pgServer.username || 'postgres'),
    POSTGRES_PASSWORD: decodeURIComponent(pgServer.password),
    POSTGRES_DATABASE: process.env.POSTGRES_DATABASE ?? 'osiris_demo',
    OSIRIS_DEMO_OUTPUT: output,
    OSIRIS_DEMO_SAMPLES: join(examples, 'pipeline', 'data'),
  };
}

/** `osiris-connections doctor` on the demo's connections file, as an operator runs it. */
function runDoctor(env: Record<string, string | undefined>): Promise<number> {
  const manifest = createRequire(import.meta.url).resolve('@osiris/cli/package.json');
  const bin = join(dirname(manifest), 'bin', 'osiris-connections.js');
  console.log(`$ osiris-connections doctor --config ${shown(CONNECTIONS)}`);
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [bin, 'doctor', '--config', CONNECTIONS], {
      env,
      stdio: 'inherit',
    });
    child.on('error', fail);
    child.on('exit', (code) => done(code ?? 1));
  });
}

async function main(): Promise<number> {
  const started = performance.now();
  const env = demoEnv();
  const unavailable = new Map<string, string>();
  let seeded: number | undefined;
  let supabase: SupabaseTestService | undefined;

  try {
    heading(`MariaDB: sample data into ${env.MYSQL_DATABASE}.orders`);
    const connections = await loadConnections({ path: CONNECTIONS, env });
    const registry = createRegistry([filesystem, mysql, postgres]);
    const resolver = createResolver({ registry, connections });
    try {
      seeded = await prepareMariaDb(registry, resolver);
      console.log(`${count(seeded)} rows loaded from the bundled sample (examples/pipeline/data/orders.csv)`);
    } catch (error) {
      unavailable.set('@mysql.demo', 'is not reachable');
      console.log(
        `MariaDB cannot be reached: ${firstLine(error)}\nSkipping it; the CSV comes from the bundled sample.`,
      );
    }

    heading(`PostgreSQL: an empty orders table in ${env.POSTGRES_DATABASE}`);
    try {
      await preparePostgres(resolver);
      console.log(`created ${env.POSTGRES_DATABASE}.public.orders`);
    } catch (error) {
      unavailable.set('@postgres.demo', 'is not reachable');
      console.log(`PostgreSQL cannot be reached: ${firstLine(error)}\nSkipping the PostgreSQL step.`);
    }

    heading('PostgREST: a local Supabase-shaped API with an empty orders table');
    try {
      supabase = await startLocalSupabase();
      env.SUPABASE_URL = supabase.url;
      env.SUPABASE_SERVICE_ROLE_KEY = supabase.serviceRoleKey;
      console.log(`serving at ${supabase.url}/rest/v1`);
    } catch (error) {
      unavailable.set('@supabase.demo', 'is not reachable');
      console.log(
        `PostgreSQL / PostgREST cannot be started: ${firstLine(error)}\nSkipping the Supabase step.`,
      );
    }

    heading('Doctor');
    const doctorExit = await runDoctor(env);
    if (doctorExit !== 0 && unavailable.size > 0) {
      console.log(
        `(exit ${doctorExit}: expected, since ${[...unavailable.keys()].join(' and ')} cannot be reached)`,
      );
    }

    heading('Pipeline');
    const outcome = await runPipelineFile({
      pipeline: PIPELINE,
      connections: CONNECTIONS,
      env,
      unavailable,
      log: process.stdout,
    });

    heading('Where the rows went');
    const step = (name: string) => outcome.steps.find((each) => each.name === name);
    const csv = join(output, 'orders.csv');
    const csvRows = step('orders-to-csv')?.result?.rowsWritten;
    console.log(
      `MariaDB   ${seeded === undefined ? 'skipped (not reachable)' : `${count(seeded)} rows in ${env.MYSQL_DATABASE}.orders`}`,
    );
    console.log(
      `CSV       ${csvRows === undefined ? 'not written' : `${count(csvRows)} rows, ${count((await stat(csv)).size)} bytes: ${shown(csv)}`}`,
    );
    if (supabase) {
      const { rows } = await supabase.sql<{ n: string }>('SELECT count(*) AS n FROM orders');
      console.log(
        `Supabase  ${count(Number(rows[0]?.n))} rows in public.orders (counted in PostgreSQL behind ${supabase.url})`,
      );
    } else {
      console.log('Supabase  skipped (PostgreSQL not reachable)');
    }
    const direct = step('mysql-to-postgres')?.result?.rowsWritten;
    console.log(
      `PostgreSQL ${direct === undefined ? 'skipped (not reachable)' : `${count(direct)} rows in ${env.POSTGRES_DATABASE}.public.orders (COPY)`}`,
    );
    console.log(`\ndone in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    return outcome.ok ? 0 : 1;
  } finally {
    await supabase?.stop();
  }
}

process.exitCode = await main();
