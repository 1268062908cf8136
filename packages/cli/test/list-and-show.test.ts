import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './support/cli.js';
import { createWorkspace, type Workspace } from './support/workspace.js';

const CONNECTIONS = `connections:
  mysql:
    main:
      default: true
      host: \${DB_HOST:-db.internal}
      port: \${DB_PORT:-3306}
      database: sales
      username: \${DB_USER}
      password: \${DB_PASSWORD}
    replica:
      url: mysql://reader:\${REPLICA_PASSWORD}@replica.internal:3307/sales
      read_only: true
  filesystem:
    out:
      base_dir: ./out
`;

let workspace: Workspace;
beforeAll(async () => {
  workspace = await createWorkspace({
    'osiris_connections.yaml': CONNECTIONS,
    '.env': 'DB_USER=from_dotenv\n',
  });
});
afterAll(() => workspace.remove());

const run = (args: string[], env: Record<string, string | undefined> = {}) =>
  runCli(args, { cwd: workspace.dir, env });

describe('list', () => {
  test('per family, each alias with its summary, the default marked, and each variable set or not', async () => {
    const env = { DB_PASSWORD: 'pw-value-1', DB_PORT: '3310', REPLICA_PASSWORD: 'r-secret-2' };
    const { code, stdout, stderr } = await run(['list'], env);
    expect(code).toBe(0);
    expect(stderr).toBe('');
    expect(stdout).toContain(`# ${workspace.path('osiris_connections.yaml')}`);
    expect(stdout).toMatch(/^mysql$/m);
    expect(stdout).toMatch(/^ {2}main \(default\) {2}from_dotenv@db\.internal:3310\/sales$/m);
    expect(stdout).toMatch(/DB_HOST not set, DB_PORT set, DB_USER set, DB_PASSWORD set/);
    expect(stdout).toMatch(/^ {2}replica +reader@replica\.internal:3307\/sales/m);
    expect(stdout).toMatch(/REPLICA_PASSWORD set/);
    expect(stdout).toMatch(/^ {2}out +\.\/out$/m);
    expect(stdout).not.toContain('pw-value-1');
    expect(stdout).not.toContain('r-secret-2');
  });

  test('an alias that does not resolve says why; the others are listed as usual', async () => {
    const { code, stdout } = await run(['list']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/main \(default\) +\(unresolved: MISSING_ENV: .*DB_PASSWORD/);
    expect(stdout).toMatch(/out +\.\/out/);
  });

  test('--json: reference, family, alias, default, summary, masked config and env flags', async () => {
    const env = { DB_PASSWORD: 'pw-value-1', REPLICA_PASSWORD: 'r-secret-2' };
    const { code, stdout } = await run(['list', '--json'], env);
    expect(code).toBe(0);
    const { connections } = JSON.parse(stdout);
    expect(connections.map((c: { reference: string }) => c.reference)).toEqual([
      '@filesystem.out',
      '@mysql.main',
      '@mysql.replica',
    ]);
    expect(connections[1]).toEqual({
      reference: '@mysql.main',
      family: 'mysql',
      alias: 'main',
      default: true,
      summary: 'from_dotenv@db.internal:3306/sales',
      config: {
        host: '${DB_HOST:-db.internal}',
        port: '${DB_PORT:-3306}',
        database: 'sales',
        username: '${DB_USER}',
        password: '${DB_PASSWORD}',
      },
      env: { DB_HOST: false, DB_PORT: false, DB_USER: true, DB_PASSWORD: true },
      warnings: [],
    });
    expect(stdout).not.toContain('pw-value-1');
    expect(stdout).not.toContain('r-secret-2');
  });

  test('--json keeps ${VAR} placeholders of secret fields visible', async () => {
    const { stdout } = await run(['list', '--json'], {
      DB_PASSWORD: 'pw-value-1',
      REPLICA_PASSWORD: 'r-secret-2',
    });
    const { connections } = JSON.parse(stdout);
    expect(connections[1].config.password).toBe('${DB_PASSWORD}');
    expect(connections[2].config.url).toBe('mysql://reader:${REPLICA_PASSWORD}@replica.internal:3307/sales');
  });

  test('a secret written literally in the file is masked and warned about', async () => {
    const config = await workspace.write(
      'literal.yaml',
      'connections:\n  mysql:\n    main:\n      host: db\n      password: literal-pw-123\n',
    );
    const { code, stdout } = await run(['list', '--config', config]);
    expect(code).toBe(0);
    expect(stdout).not.toContain('literal-pw-123');
    expect(stdout).toMatch(/warning: .*secret written in the file/);
    const listed = JSON.parse((await run(['list', '--json', '--config', config])).stdout);
    expect(listed.connections[0].config.password).toBe('***');
    expect(listed.connections[0].warnings).toEqual([expect.stringMatching(/secret written in the file/)]);
  });
});

describe('show', () => {
  test('the resolved config, masked, with where each value came from', async () => {
    const { code, stdout } = await run(['show', '@mysql'], { DB_PASSWORD: 'pw-value-1', DB_PORT: '3310' });
    expect(code).toBe(0);
    const line = (field: string) => stdout.split('\n').find((text) => text.startsWith(`  ${field} `)) ?? '';
    expect(stdout.split('\n')[0]).toBe('@mysql.main  osiris_connections.yaml:3:5');
    expect(line('host')).toMatch(
      /db\.internal +default \(\$DB_HOST not set\) +osiris_connections\.yaml:5:13$/,
    );
    expect(line('port')).toMatch(/3310 +\$DB_PORT from environment +osiris_connections\.yaml:6:13$/);
    expect(line('database')).toMatch(/sales +written in the file +osiris_connections\.yaml:7:17$/);
    expect(line('username')).toMatch(/from_dotenv +\$DB_USER from \.env +osiris_connections\.yaml:8:17$/);
    expect(line('password')).toMatch(/\*\*\* +\$DB_PASSWORD from environment/);
    expect(line('pool_size')).toMatch(/5 +connector default$/);
    expect(stdout).not.toContain('pw-value-1');
  });

  test('--env-file fills unset variables (a set one wins) and is named as the origin', async () => {
    await workspace.write('secrets.env', 'DB_PASSWORD=from-env-file-9\nDB_PORT=4000\n');
    const { code, stdout } = await run(['show', '@mysql.main', '--env-file', 'secrets.env'], {
      DB_PORT: '3999',
    });
    expect(code).toBe(0);
    expect(stdout).toMatch(/port +3999 +\$DB_PORT from environment/);
    expect(stdout).toMatch(/password +\*\*\* +\$DB_PASSWORD from secrets\.env/);
    expect(stdout).not.toContain('from-env-file-9');
  });

  test('--env-file is repeatable: the first file to set a variable wins, and each is named as an origin', async () => {
    await workspace.write('first.env', 'DB_PASSWORD=first-pw-3\n');
    await workspace.write('second.env', 'DB_PASSWORD=second-pw-4\nDB_PORT=4001\n');
    const { code, stdout } = await run([
      'show',
      '@mysql.main',
      '--env-file',
      'first.env',
      '--env-file',
      'second.env',
    ]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/password +\*\*\* +\$DB_PASSWORD from first\.env/);
    expect(stdout).toMatch(/port +4001 +\$DB_PORT from second\.env/);
    expect(stdout).not.toMatch(/first-pw-3|second-pw-4/);
  });

  test('--json: every field with value (masked), origin, location and variables', async () => {
    const { stdout } = await run(['show', '@mysql.main', '--json'], { DB_PASSWORD: 'pw-value-1' });
    const shown = JSON.parse(stdout);
    expect(shown).toMatchObject({ reference: '@mysql.main', family: 'mysql', alias: 'main' });
    const password = shown.fields.find((field: { field: string }) => field.field === '/password');
    expect(password).toMatchObject({
      value: '***',
      from: 'env',
      location: { file: workspace.path('osiris_connections.yaml'), line: 9, column: 17 },
      variables: [{ name: 'DB_PASSWORD', set: true, source: 'environment' }],
    });
    expect(stdout).not.toContain('pw-value-1');
  });

  test('a missing variable: exit 2 naming the variable, file:line and a hint', async () => {
    const { code, stdout, stderr } = await run(['show', '@mysql.main']);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^✗ MISSING_ENV: .*DB_PASSWORD/);
    expect(stderr).toContain('at osiris_connections.yaml:9:');
    expect(stderr).toMatch(/hint: \S/);
    const asJson = JSON.parse((await run(['show', '@mysql.main', '--json'])).stdout);
    expect(asJson.error).toMatchObject({ code: 'MISSING_ENV', category: 'config' });
  });

  test('an unknown alias lists the aliases there are (exit 2)', async () => {
    const { code, stderr } = await run(['show', '@mysql.nope']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/UNKNOWN_ALIAS: .*main.*replica/s);
  });

  // In-process: Node 20 itself scans a script's arguments for --env-file and exits 9 when the
  // file is missing (nodejs/node#54232), so the binary never gets to report it.
  test('a missing --env-file is a config error (exit 2)', async () => {
    const { main } = await import('../dist/main.js');
    let stderr = '';
    const io = {
      stdout: { write: () => true },
      stderr: { write: (text: string) => (stderr += text) },
      env: {},
      cwd: workspace.dir,
    };
    expect(await main(['show', '@filesystem', '--env-file', 'nope.env'], io)).toBe(2);
    expect(stderr).toContain(`ENV_FILE_NOT_FOUND: Cannot read the env file ${workspace.path('nope.env')}`);
    expect(stderr).toContain(
      'hint: Check the path of the env file (envFiles, or --env-file on the command line)',
    );
  });
});
