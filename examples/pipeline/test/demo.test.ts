import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  connectAdmin,
  createTestDatabase,
  databaseUrl,
  postgresServerUrl,
  type TestDatabase,
} from '@osiris/test-services';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SAMPLES } from './support.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));

/** Runs `pnpm demo`'s script (`tsx src/demo.ts`) with `env` on top of this process's environment. */
function runDemo(env: Record<string, string>): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/demo.ts'], {
      cwd: packageDir,
      env: { ...process.env, NO_COLOR: '1', ...env },
    });
    let output = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, output }));
  });
}

let database: TestDatabase;
/** The PostgreSQL database the demo recreates for its MySQL → PostgreSQL step (dropped afterwards). */
const pgDatabase = `osiris_demo_test_${randomBytes(5).toString('hex')}`;
let output: string;
let sample: Buffer;
beforeAll(async () => {
  database = await createTestDatabase('osiris_demo_test');
  output = await mkdtemp(join(tmpdir(), 'osiris-demo-'));
  sample = await readFile(join(SAMPLES, 'orders.csv'));
});
afterAll(async () => {
  await database?.drop();
  const server = await connectAdmin(postgresServerUrl());
  await server.query(`DROP DATABASE IF EXISTS "${pgDatabase}" WITH (FORCE)`).finally(() => server.end());
  await rm(output, { recursive: true, force: true });
});

describe('pnpm demo', () => {
  test('on this machine: doctor all ✓, then 2,000 rows in MariaDB, the CSV, Supabase and PostgreSQL; exit 0', async () => {
    const { code, output: text } = await runDemo({
      MYSQL_DATABASE: database.database,
      POSTGRES_DATABASE: pgDatabase,
      OSIRIS_DEMO_OUTPUT: output,
    });
    expect(text).toContain('5 ok, 0 failed');
    expect(text).toContain('summary: 3 ok, 0 failed, 0 skipped');
    expect(text).toContain(`MariaDB   2,000 rows in ${database.database}.orders`);
    expect(text).toContain(`CSV       2,000 rows, 116,105 bytes: ${join(output, 'orders.csv')}`);
    expect(text).toMatch(/Supabase {2}2,000 rows in public\.orders/);
    expect(text).toContain(`PostgreSQL 2,000 rows in ${pgDatabase}.public.orders`);
    expect(code).toBe(0);
    const demo = await connectAdmin(databaseUrl(postgresServerUrl(), pgDatabase));
    try {
      expect((await demo.query('SELECT count(*)::int AS n FROM orders')).rows).toEqual([{ n: 2000 }]);
    } finally {
      await demo.end();
    }
    expect(await readFile(join(output, 'orders.csv'))).toEqual(sample);
  });

  test('without MariaDB and PostgreSQL it says so, skips them, and still writes the CSV from the sample', async () => {
    const { code, output: text } = await runDemo({
      MYSQL_URL: 'mysql://root@127.0.0.1:1',
      DATABASE_URL: 'postgres://postgres@127.0.0.1:1/postgres',
      OSIRIS_DEMO_OUTPUT: join(output, 'offline'),
    });
    expect(text).toContain('MariaDB cannot be reached: connect ECONNREFUSED 127.0.0.1:1');
    expect(text).toContain(
      'PostgreSQL / PostgREST cannot be started: Cannot reach PostgreSQL at 127.0.0.1:1',
    );
    expect(text).toContain('✓ orders-to-csv  @filesystem.samples → @filesystem.out  2,000 rows');
    expect(text).toContain('PostgreSQL cannot be reached: ');
    expect(text).toContain('– csv-to-supabase  skipped: @supabase.demo is not reachable');
    expect(text).toContain('– mysql-to-postgres  skipped: @postgres.demo is not reachable');
    expect(text).toContain('PostgreSQL skipped (not reachable)');
    expect(text).toContain('MariaDB   skipped (not reachable)');
    expect(text).toContain('Supabase  skipped (PostgreSQL not reachable)');
    expect(code).toBe(0);
    expect(await readFile(join(output, 'offline', 'orders.csv'))).toEqual(sample);
  });
});
