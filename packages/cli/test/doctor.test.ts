import { closedPort, silentListener } from '@osiris/connector-testkit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type CliRun, runCli } from './support/cli.js';
import { MIXED_CONNECTIONS, type Servers, startServers } from './support/servers.js';
import { createWorkspace, type Workspace } from './support/workspace.js';

let servers: Servers;
let workspace: Workspace;
let env: Record<string, string>;

beforeAll(async () => {
  servers = await startServers();
  workspace = await createWorkspace({ 'osiris_connections.yaml': MIXED_CONNECTIONS });
  env = { ...servers.env, OUT_DIR: workspace.path('out') };
});
afterAll(async () => {
  await servers?.stop();
  await workspace?.remove();
});

const doctor = (args: string[] = [], extraEnv: Record<string, string | undefined> = {}) =>
  runCli(['doctor', ...args], { cwd: workspace.dir, env: { ...env, ...extraEnv } });

const json = (run: CliRun) => JSON.parse(run.stdout) as { ok: boolean; results: Record<string, unknown>[] };

describe('doctor against the real servers', () => {
  test('every connection answers: a ✓ line each, exit 0', async () => {
    const run = await doctor();
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.split('\n');
    for (const reference of ['@filesystem.out', '@mysql.main', '@supabase.api']) {
      expect(lines.find((line) => line.includes(reference))).toMatch(/^ {2}✓ {2}@\S+ +\d+ ms {2}\S/);
    }
    expect(run.stdout).toMatch(/MariaDB/);
    expect(run.stdout).toContain('3 ok, 0 failed');
  });

  test('--json prints core’s doctor report', async () => {
    const report = json(await doctor(['--json']));
    expect(report.ok).toBe(true);
    expect(report.results.map((result) => [result.reference, result.status])).toEqual([
      ['@filesystem.out', 'ok'],
      ['@mysql.main', 'ok'],
      ['@supabase.api', 'ok'],
    ]);
    for (const result of report.results) {
      expect(result).toMatchObject({ latencyMs: expect.any(Number), message: expect.any(String) });
    }
  });

  test('references and --family narrow the run; @family picks the default alias', async () => {
    expect(json(await doctor(['@mysql', '--json'])).results.map((r) => r.reference)).toEqual(['@mysql.main']);
    const byFamily = json(await doctor(['--family', 'filesystem', '--family', 'supabase', '--json']));
    expect(byFamily.results.map((r) => r.reference)).toEqual(['@filesystem.out', '@supabase.api']);
  });

  test('a refused connection: ✗ with its category message and hint, the others still ✓, exit 1', async () => {
    const port = await closedPort();
    const run = await doctor([], { MYSQL_PORT: String(port) });
    expect(run.code).toBe(1);
    const line = run.stdout.split('\n').findIndex((text) => text.includes('@mysql.main'));
    expect(run.stdout.split('\n')[line]).toMatch(/^ {2}✗ {2}@mysql\.main/);
    expect(run.stdout.split('\n')[line + 1]).toMatch(/^\s+hint: \S/);
    expect(run.stdout).toMatch(/✓ {2}@filesystem\.out/);
    expect(run.stdout).toMatch(/✓ {2}@supabase\.api/);
    expect(run.stdout).toContain('2 ok, 1 failed');
    const mysql = json(await doctor(['@mysql.main', '--json'], { MYSQL_PORT: String(port) })).results[0];
    expect(mysql).toMatchObject({ status: 'failed', category: 'network' });
  });

  test('a wrong key for Supabase is an auth failure', async () => {
    const run = await doctor(['@supabase.api', '--json'], {
      SUPABASE_KEY: servers.supabase.anonKey.replace(/.$/, 'x'),
    });
    expect(run.code).toBe(1);
    expect(json(run).results[0]).toMatchObject({ status: 'failed', category: 'auth' });
  });

  test('--timeout bounds a server that never answers', async () => {
    const silent = await silentListener();
    try {
      const started = Date.now();
      const run = await doctor(['@mysql.main', '--timeout', '400', '--json'], {
        MYSQL_PORT: String(silent.port),
      });
      expect(run.code).toBe(1);
      expect(json(run).results[0]).toMatchObject({ status: 'failed', category: 'timeout' });
      expect(Date.now() - started).toBeLessThan(4000);
    } finally {
      await silent.close();
    }
  });

  test('--concurrency 1 still checks everything', async () => {
    const report = json(await doctor(['--concurrency', '1', '--json']));
    expect(report.results).toHaveLength(3);
    expect(report.ok).toBe(true);
  });

  test('a missing variable fails only its alias, with file:line, and exits 2', async () => {
    const run = await doctor([], { SUPABASE_KEY: undefined });
    expect(run.code).toBe(2);
    expect(run.stdout).toMatch(/✗ {2}@supabase\.api .*MISSING_ENV: .*SUPABASE_KEY/);
    expect(run.stdout).toContain('osiris_connections.yaml:16:');
    expect(run.stdout).toMatch(/✓ {2}@mysql\.main/);
    const result = json(await doctor(['--json'], { SUPABASE_KEY: undefined })).results[2];
    expect(result).toMatchObject({
      reference: '@supabase.api',
      status: 'error',
      code: 'MISSING_ENV',
      category: 'config',
    });
  });

  test('an unknown reference or family is a command-line mistake (exit 2)', async () => {
    const unknownAlias = await doctor(['@mysql.nope']);
    expect(unknownAlias.code).toBe(2);
    expect(unknownAlias.stdout).toMatch(/UNKNOWN_ALIAS/);
    const unknownFamily = await doctor(['--family', 'redis']);
    expect(unknownFamily.code).toBe(2);
    expect(unknownFamily.stderr).toContain('No family redis in');
    expect(unknownFamily.stderr).toContain('families: filesystem, mysql, supabase');
  });
});

describe('colour', () => {
  const ESC = '\u001b[';
  test('off when stdout is not a terminal', async () => {
    expect((await doctor(['@filesystem.out'])).stdout).not.toContain(ESC);
  });
  test('FORCE_COLOR turns it on; --no-color and NO_COLOR win over it', async () => {
    expect((await doctor(['@filesystem.out'], { FORCE_COLOR: '1' })).stdout).toContain(`${ESC}32m✓`);
    expect((await doctor(['@filesystem.out', '--no-color'], { FORCE_COLOR: '1' })).stdout).not.toContain(ESC);
    expect((await doctor(['@filesystem.out'], { FORCE_COLOR: '1', NO_COLOR: '1' })).stdout).not.toContain(
      ESC,
    );
  });
  test('never in JSON', async () => {
    expect((await doctor(['--json'], { FORCE_COLOR: '1' })).stdout).not.toContain(ESC);
  });
});
