import { createRequire } from 'node:module';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './support/cli.js';
import { createWorkspace, type Workspace } from './support/workspace.js';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const version = (name: string) => createRequire(`${packageDir}/`)(`${name}/package.json`).version as string;

/**
 * A third-party connector installed next to a connections file, not next to the CLI. It lives
 * under packages/cli so that its own `@osiris/core` import resolves, as it would in a project.
 */
const MEMORY_PLUGIN = (zodUrl: string) => `import { API_VERSION, defineConnector, field } from '@osiris/core';
import { z } from '${zodUrl}';
export default defineConnector({
  family: 'memory',
  apiVersion: API_VERSION,
  configSchema: z.strictObject({ size: field.integer().default(1), token: z.string().optional() }),
  secrets: ['/token'],
  capabilities: ['read'],
  summarize: (config) => 'size ' + config.size,
  async connect(config) {
    return { check: async () => ({ message: 'memory of size ' + config.size }), close: async () => {} };
  },
});
`;

/** A connector whose connect never returns and holds the event loop open, as a stuck socket does. */
const HANGING_PLUGIN = (zodUrl: string) => `import { API_VERSION, defineConnector } from '@osiris/core';
import { z } from '${zodUrl}';
export default defineConnector({
  family: 'hang',
  apiVersion: API_VERSION,
  configSchema: z.strictObject({}),
  capabilities: [],
  connect: () => new Promise(() => setInterval(() => {}, 60_000)),
});
`;

let workspace: Workspace;
let project: Workspace;
beforeAll(async () => {
  workspace = await createWorkspace();
  const zod = createRequire(createRequire(`${packageDir}/`).resolve('@osiris/core')).resolve('zod');
  project = await createWorkspace(
    {
      'osiris_connections.yaml': 'connections:\n  memory:\n    main:\n      size: 3\n',
      'node_modules/osiris-connector-memory/package.json': JSON.stringify({
        name: 'osiris-connector-memory',
        version: '2.3.4',
        type: 'module',
        exports: './index.js',
      }),
      'node_modules/osiris-connector-memory/index.js': MEMORY_PLUGIN(pathToFileURL(zod).href),
      'hang.yaml': 'connections:\n  hang:\n    stuck: {}\n',
      'node_modules/osiris-connector-hang/package.json': JSON.stringify({
        name: 'osiris-connector-hang',
        version: '0.0.1',
        type: 'module',
        exports: './index.js',
      }),
      'node_modules/osiris-connector-hang/index.js': HANGING_PLUGIN(pathToFileURL(zod).href),
    },
    packageDir,
  );
});
afterAll(async () => {
  await workspace.remove();
  await project?.remove();
});

describe('plugins', () => {
  test('the first-party connectors, with package, version, apiVersion and capabilities', async () => {
    const { code, stdout } = await runCli(['plugins'], { cwd: workspace.dir });
    expect(code).toBe(0);
    expect(stdout).toMatch(
      new RegExp(
        `✓ {2}filesystem +@osiris/connector-fs@${version('@osiris/connector-fs')} +api 1 +read, write`,
      ),
    );
    expect(stdout).toMatch(
      new RegExp(`✓ {2}mysql +@osiris/connector-mysql@${version('@osiris/connector-mysql')} +api 1`),
    );
    expect(stdout).toMatch(
      new RegExp(`✓ {2}postgres +@osiris/connector-postgres@${version('@osiris/connector-postgres')} +api 1`),
    );
    expect(stdout).toMatch(
      new RegExp(`✓ {2}supabase +@osiris/connector-supabase@${version('@osiris/connector-supabase')} +api 1`),
    );
    const { plugins, missing } = JSON.parse(
      (await runCli(['plugins', '--json'], { cwd: workspace.dir })).stdout,
    );
    expect(missing).toEqual([]);
    expect(plugins.map((plugin: { family: string }) => plugin.family)).toEqual([
      'filesystem',
      'mysql',
      'postgres',
      'supabase',
    ]);
    expect(plugins[1]).toMatchObject({
      name: '@osiris/connector-mysql',
      version: version('@osiris/connector-mysql'),
      apiVersion: 1,
      capabilities: expect.arrayContaining(['read', 'write']),
      secrets: expect.arrayContaining(['/password']),
    });
  });

  test('a family of the connections file is loaded from its directory (osiris-connector-<family>)', async () => {
    const config = project.path('osiris_connections.yaml');
    const { code, stdout } = await runCli(['plugins', '--json', '--config', config], { cwd: workspace.dir });
    expect(code).toBe(0);
    const memory = JSON.parse(stdout).plugins.find(
      (plugin: { family: string }) => plugin.family === 'memory',
    );
    expect(memory).toEqual({
      name: 'osiris-connector-memory',
      version: '2.3.4',
      family: 'memory',
      apiVersion: 1,
      capabilities: ['read'],
      secrets: ['/token'],
    });
    const doctor = await runCli(['doctor', '--config', config], { cwd: workspace.dir });
    expect(doctor.stdout).toMatch(/✓ {2}@memory\.main +\d+ ms {2}memory of size 3/);
    expect(doctor.code).toBe(0);
  });
});

describe('a connector that never answers', () => {
  test('doctor reports the timeout and the command ends anyway', async () => {
    const started = Date.now();
    const run = await runCli(['doctor', '--timeout', '300', '--config', project.path('hang.yaml')], {
      cwd: workspace.dir,
    });
    expect(run.stdout).toMatch(/✗ {2}@hang\.stuck +\d+ ms {2}OPERATION_TIMEOUT: /);
    expect(run.code).toBe(1);
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe('schema', () => {
  test('the family’s config as JSON Schema', async () => {
    const { code, stdout } = await runCli(['schema', 'mysql'], { cwd: workspace.dir });
    expect(code).toBe(0);
    const schema = JSON.parse(stdout);
    expect(schema.$schema).toContain('json-schema.org');
    expect(Object.keys(schema.properties)).toEqual(
      expect.arrayContaining(['host', 'port', 'database', 'password']),
    );
    expect(schema.additionalProperties).toBe(false);
  });

  test('filesystem requires base_dir', async () => {
    const schema = JSON.parse((await runCli(['schema', 'filesystem'], { cwd: workspace.dir })).stdout);
    expect(schema.required).toContain('base_dir');
  });

  test('an invalid family name is a config error', async () => {
    const { code, stderr } = await runCli(['schema', 'Not-A-Family'], { cwd: workspace.dir });
    expect(code).toBe(2);
    expect(stderr).toContain('UNKNOWN_FAMILY');
  });
});
