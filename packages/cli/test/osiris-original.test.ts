import { readdir } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './support/cli.js';
import { createWorkspace, type Workspace } from './support/workspace.js';

/**
 * The example connections file the original Python Osiris writes (`osiris init`,
 * keboola/osiris osiris/cli/init.py), word for word.
 */
const ORIGINAL_EXAMPLE = `# Osiris Connections Configuration Template
# Copy this file to osiris_connections.yaml and configure your connections

version: "1.0"

connections:
  mysql:
    primary:
      default: true
      host: \${MYSQL_HOST}
      port: 3306
      user: \${MYSQL_USER}
      password: \${MYSQL_PASSWORD}
      database: \${MYSQL_DATABASE}
      pool_size: 5
      timeout: 30

  supabase:
    primary:
      default: true
      project_id: \${SUPABASE_PROJECT_ID}
      anon_key: \${SUPABASE_ANON_PUBLIC_KEY}
      service_role_key: \${SUPABASE_SERVICE_ROLE_KEY}

  duckdb:
    memory:
      default: true
      database: ":memory:"

  # Filesystem connections
  # base_dir is used for discovery and data storage
  filesystem:
    local:
      default: true
      base_dir: "\${OSIRIS_HOME}/data"
      description: "Local filesystem data directory"

    exports:
      default: false
      base_dir: "\${OSIRIS_HOME}/exports"
      description: "Export files directory"
`;

let workspace: Workspace;
let env: Record<string, string>;
beforeAll(async () => {
  workspace = await createWorkspace({ 'project/osiris_connections.yaml': ORIGINAL_EXAMPLE });
  env = {
    OSIRIS_HOME: workspace.path('project'),
    MYSQL_HOST: 'db.internal',
    MYSQL_USER: 'app',
    MYSQL_PASSWORD: 'original-mysql-pw-1',
    MYSQL_DATABASE: 'sales',
    SUPABASE_PROJECT_ID: 'abcdefghijklmnop',
    SUPABASE_ANON_PUBLIC_KEY: 'original-anon-key-2',
    SUPABASE_SERVICE_ROLE_KEY: 'original-service-key-3',
  };
});
afterAll(() => workspace.remove());

describe("the original Osiris's example connections file", () => {
  test('loads unchanged: list resolves every first-party alias and warns about the key that means nothing here', async () => {
    const { code, stdout, stderr } = await runCli(['list'], { cwd: workspace.dir, env });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toMatch(/^ {2}primary \(default\) {2}app@db\.internal:3306\/sales$/m);
    expect(stdout).toMatch(
      /warning: @mysql\.primary: field "timeout" is ignored \(.*:16:7\): the original Osiris ignored it/,
    );
    expect(stdout).toMatch(
      /^ {2}primary \(default\) {2}abcdefghijklmnop\.supabase\.co\/rest\/v1 \(schema public\)$/m,
    );
    expect(stdout).toMatch(/^ {2}local \(default\) {2}.*\/project\/data$/m);
    expect(stdout).toMatch(/^ {2}exports +.*\/project\/exports$/m);
    expect(stdout).toMatch(
      /memory \(default\) {2}\(connector not installed: Install it: npm install osiris-connector-duckdb\)/,
    );
    for (const secret of ['original-mysql-pw-1', 'original-anon-key-2', 'original-service-key-3']) {
      expect(stdout).not.toContain(secret);
    }
  });

  test('show masks the legacy secret keys, and service_role_key is the key used', async () => {
    const { code, stdout } = await runCli(['show', '@supabase', '--json'], { cwd: workspace.dir, env });
    expect(code).toBe(0);
    const fields = Object.fromEntries(
      (JSON.parse(stdout).fields as { field: string; value: unknown }[]).map((field) => [
        field.field,
        field.value,
      ]),
    );
    expect(fields).toMatchObject({ '/url': 'https://abcdefghijklmnop.supabase.co', '/key': '***' });
    expect(stdout).not.toContain('original-');
  });

  test('doctor on a filesystem alias, run from another folder, creates nothing anywhere', async () => {
    const elsewhere = await createWorkspace();
    try {
      const relative = await workspace.write(
        'other/osiris_connections.yaml',
        'connections:\n  filesystem:\n    out:\n      base_dir: ./output\n',
      );
      const { code, stdout } = await runCli(['doctor', '-c', relative], { cwd: elsewhere.dir, env: {} });
      expect(code).toBe(0);
      expect(stdout).toContain(`${workspace.path('other/output')} is writable`);
      expect(stdout).toContain('(created on first write)');
      expect(await readdir(elsewhere.dir)).toEqual([]);
      expect(await readdir(workspace.path('other'))).toEqual(['osiris_connections.yaml']);
    } finally {
      await elsewhere.remove();
    }
  });

  test('validation: warn lets an unknown key through with a warning in list and doctor', async () => {
    const file = await workspace.write(
      'warn/osiris_connections.yaml',
      'validation: warn\nconnections:\n  filesystem:\n    out:\n      base_dir: .\n      compression: gzip\n',
    );
    const list = await runCli(['list', '-c', file], { cwd: workspace.dir, env: {} });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/warning: @filesystem\.out: unknown field "compression" is ignored/);
    const doctor = await runCli(['doctor', '-c', file], { cwd: workspace.dir, env: {} });
    expect(doctor.code).toBe(0);
    expect(doctor.stdout).toMatch(/warning: @filesystem\.out: unknown field "compression" is ignored/);
    const strict = await runCli(['list', '-c', file.replace('warn/', 'strict/')], {
      cwd: workspace.dir,
      env: {},
    });
    expect(strict.code).toBe(2);
  });
});
