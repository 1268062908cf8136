import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './support/cli.js';
import { createWorkspace, type Workspace } from './support/workspace.js';

let workspace: Workspace;
beforeAll(async () => {
  workspace = await createWorkspace();
});
afterAll(() => workspace.remove());

const run = (args: string[], env: Record<string, string> = {}) => runCli(args, { cwd: workspace.dir, env });

describe('a connections file that cannot be used: exit 2, file:line:col and a hint, for every command', () => {
  const MALFORMED = 'connections:\n  mysql:\n    main:\n      host: db\n     port: 3306\n';

  test.each([['list'], ['show', '@mysql.main'], ['doctor'], ['plugins']])(
    'malformed YAML: %s',
    async (...args) => {
      const config = await workspace.write('malformed.yaml', MALFORMED);
      const { code, stdout, stderr } = await run([...args, '--config', config]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^✗ CONFIG_PARSE: .*invalid YAML/);
      expect(stderr).toMatch(/at malformed\.yaml:5:\d+$/m);
      expect(stderr).toMatch(/^ {2}hint: \S/m);
    },
  );

  test('malformed YAML with --json: the error object on stdout', async () => {
    const config = await workspace.write('malformed.yaml', MALFORMED);
    const { code, stdout, stderr } = await run(['doctor', '--json', '--config', config]);
    expect(code).toBe(2);
    expect(stderr).toBe('');
    const { error } = JSON.parse(stdout);
    expect(error).toMatchObject({
      code: 'CONFIG_PARSE',
      category: 'config',
      location: expect.stringMatching(/malformed\.yaml:5:\d+$/),
    });
  });

  test('no connections file anywhere: the places looked at and how to fix it', async () => {
    const { code, stderr } = await run(['list'], { OSIRIS_CONNECTIONS: workspace.path('absent.yaml') });
    expect(code).toBe(2);
    expect(stderr).toContain(
      `CONFIG_NOT_FOUND: Connections file not found: ${workspace.path('absent.yaml')}`,
    );
    expect(stderr).toMatch(/hint: .*OSIRIS_CONNECTIONS/);
  });

  test('an unknown key in an alias names the key, the file and the line', async () => {
    const config = await workspace.write(
      'unknown-key.yaml',
      'connections:\n  filesystem:\n    out:\n      base_dir: ./out\n      basedir: ./typo\n',
    );
    const { code, stdout } = await run(['doctor', '--config', config]);
    expect(code).toBe(2);
    expect(stdout).toMatch(/✗ {2}@filesystem\.out .*CONFIG_INVALID: .*basedir/);
    const show = await run(['show', '@filesystem.out', '--config', config]);
    expect(show.code).toBe(2);
    expect(show.stderr).toMatch(/CONFIG_INVALID: .*basedir/);
    expect(show.stderr).toMatch(/at unknown-key\.yaml:5:\d+/);
  });
});

describe('a family whose connector package is not installed', () => {
  const CONFIG = `connections:
  redis:
    cache:
      host: localhost
  filesystem:
    out:
      base_dir: \${OUT_DIR}
`;

  test('doctor reports it with the install command; the other families still work', async () => {
    const config = await workspace.write('with-redis.yaml', CONFIG);
    const { code, stdout } = await run(['doctor', '--config', config], { OUT_DIR: workspace.path('out') });
    expect(code).toBe(2);
    expect(stdout).toMatch(/✓ {2}@filesystem\.out/);
    expect(stdout).toMatch(
      /✗ {2}@redis\.cache .*UNKNOWN_FAMILY: No connector package for family "redis" is installed/,
    );
    expect(stdout).toContain('hint: Install it: npm install osiris-connector-redis');
  });

  test('list still lists it, plugins shows it missing, schema fails with the install hint', async () => {
    const config = await workspace.write('with-redis.yaml', CONFIG);
    const list = await run(['list', '--config', config], { OUT_DIR: workspace.path('out') });
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(
      /^redis\n {2}cache {2}\(connector not installed: Install it: npm install osiris-connector-redis\)/m,
    );
    const plugins = JSON.parse((await run(['plugins', '--json', '--config', config])).stdout);
    expect(plugins.missing).toEqual([
      expect.objectContaining({
        family: 'redis',
        code: 'UNKNOWN_FAMILY',
        hint: 'Install it: npm install osiris-connector-redis',
      }),
    ]);
    const show = await run(['show', '@redis.cache', '--config', config]);
    expect(show.code).toBe(2);
    expect(show.stderr).toMatch(
      /UNKNOWN_FAMILY: .*\n.*hint: Install it: npm install osiris-connector-redis/s,
    );
    const schema = await run(['schema', 'redis']);
    expect(schema.code).toBe(2);
    expect(schema.stderr).toContain('hint: Install it: npm install osiris-connector-redis');
  });
});
