import { randomBytes } from 'node:crypto';
import { closedPort } from '@osiris/connector-testkit';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './support/cli.js';
import { type Servers, startServers } from './support/servers.js';
import { createWorkspace, type Workspace } from './support/workspace.js';

/** A unique secret per place a secret can come from; none may ever be printed, in any spelling. */
const canary = (label: string) => `canary-${label}-${randomBytes(6).toString('hex')}-p@ss:w/rd`;
const CANARIES = {
  mysqlPassword: canary('mysql'),
  supabaseKey: canary('supabase'),
  dsnPassword: canary('dsn'),
  literal: canary('literal'),
  envFile: canary('envfile'),
  badAlias: canary('bad'),
};

const spellings = (secret: string) => [
  secret,
  encodeURIComponent(secret),
  encodeURIComponent(secret).replaceAll('%20', '+'),
  JSON.stringify(secret).slice(1, -1),
];

let servers: Servers;
let workspace: Workspace;
let env: Record<string, string>;

beforeAll(async () => {
  servers = await startServers();
  const port = await closedPort();
  workspace = await createWorkspace({
    'osiris_connections.yaml': `connections:
  mysql:
    wrong_password:
      host: \${MYSQL_HOST}
      port: \${MYSQL_PORT}
      database: \${MYSQL_DATABASE}
      username: \${MYSQL_USER}
      password: \${CANARY_MYSQL}
    dsn:
      url: mysql://app:\${CANARY_DSN_ENCODED}@127.0.0.1:${port}/sales
    literal:
      host: 127.0.0.1
      port: ${port}
      username: root
      password: "${CANARIES.literal}"
    from_env_file:
      host: 127.0.0.1
      port: ${port}
      username: root
      password: \${CANARY_ENV_FILE}
    unknown_key:
      host: 127.0.0.1
      password: \${CANARY_BAD}
      passwrd: \${CANARY_BAD}
    missing_env:
      host: 127.0.0.1
      password: \${CANARY_BAD}
      username: \${NOT_SET_ANYWHERE}
  supabase:
    wrong_key:
      url: \${SUPABASE_URL}
      key: \${CANARY_SUPABASE}
`,
    'secrets.env': `CANARY_ENV_FILE="${CANARIES.envFile}"\n`,
    'malformed.yaml': `connections:\n  mysql:\n    main:\n      password: ${CANARIES.literal}\n     host: x\n`,
  });
  env = {
    ...servers.env,
    CANARY_MYSQL: CANARIES.mysqlPassword,
    CANARY_DSN_ENCODED: encodeURIComponent(CANARIES.dsnPassword),
    CANARY_SUPABASE: CANARIES.supabaseKey,
    CANARY_BAD: CANARIES.badAlias,
    FORCE_COLOR: '1',
  };
});
afterAll(async () => {
  await servers?.stop();
  await workspace?.remove();
});

const REFERENCES = [
  '@mysql.wrong_password',
  '@mysql.dsn',
  '@mysql.literal',
  '@mysql.from_env_file',
  '@mysql.unknown_key',
  '@mysql.missing_env',
  '@supabase.wrong_key',
];

function commands(): string[][] {
  const base = [
    ['list'],
    ['doctor'],
    ['doctor', '--timeout', '300'],
    ['plugins'],
    ['schema', 'mysql'],
    ...REFERENCES.map((reference) => ['show', reference]),
    ...REFERENCES.map((reference) => ['doctor', reference]),
    ['list', '--config', 'malformed.yaml'],
    ['doctor', '--config', 'malformed.yaml'],
    ['show', '@mysql.main', '--config', 'malformed.yaml'],
  ];
  return base.flatMap((args) => [
    [...args, '--env-file', 'secrets.env'],
    [...args, '--env-file', 'secrets.env', '--json'],
  ]);
}

/** `fn` over `items`, `size` at a time (the machine is shared; a few CLI processes at once are enough). */
async function inBatches<T, R>(items: T[], size: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  for (let start = 0; start < items.length; start += size) {
    results.push(...(await Promise.all(items.slice(start, start + size).map(fn))));
  }
  return results;
}

describe('no command prints a secret', () => {
  test('every command, both output modes, failing doctors and bad configs included', async () => {
    const runs = await inBatches(
      commands(),
      4,
      async (args) => [args, await runCli(args, { cwd: workspace.dir, env })] as const,
    );

    // The runs did fail the way they were meant to, so the canaries were in play.
    const doctor = JSON.parse(
      runs.find(([args]) => args.join(' ') === 'doctor --env-file secrets.env --json')![1].stdout,
    );
    const byReference = Object.fromEntries(
      doctor.results.map((r: { reference: string }) => [r.reference, r]),
    );
    expect(byReference['@mysql.wrong_password']).toMatchObject({ status: 'failed', category: 'auth' });
    expect(byReference['@supabase.wrong_key']).toMatchObject({ status: 'failed', category: 'auth' });
    expect(byReference['@mysql.dsn']).toMatchObject({ status: 'failed', category: 'network' });
    expect(byReference['@mysql.from_env_file']).toMatchObject({ status: 'failed', category: 'network' });
    expect(byReference['@mysql.unknown_key']).toMatchObject({ status: 'error', code: 'CONFIG_INVALID' });
    expect(byReference['@mysql.missing_env']).toMatchObject({ status: 'error', code: 'MISSING_ENV' });
    expect(runs.filter(([, run]) => run.code === 2).length).toBeGreaterThan(10);

    const leaks: string[] = [];
    for (const [args, run] of runs) {
      for (const [name, secret] of Object.entries(CANARIES)) {
        for (const spelling of spellings(secret)) {
          if (run.stdout.includes(spelling)) leaks.push(`${args.join(' ')}: ${name} on stdout`);
          if (run.stderr.includes(spelling)) leaks.push(`${args.join(' ')}: ${name} on stderr`);
        }
      }
    }
    expect(leaks).toEqual([]);
  }, 180_000);
});
