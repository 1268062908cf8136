// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about the ${VAR} syntax itself
import { afterEach, describe, expect, test } from 'vitest';
import { CONNECTIONS_FILE_NAME, createResolver, loadConnections } from '../src/index.js';
import { registry, rejected, tempTree } from './helpers/config.js';

const file = (database: string) => `connections:\n  sql:\n    main:\n      database: ${database}\n`;
const trees: Array<{ remove(): Promise<void> }> = [];
async function tree(files: Record<string, string>) {
  const created = await tempTree(files);
  trees.push(created);
  return created;
}
afterEach(async () => {
  await Promise.all(trees.splice(0).map((created) => created.remove()));
});

const databaseOf = async (options: Parameters<typeof loadConnections>[0]) => {
  const connections = await loadConnections(options);
  return createResolver({ registry, connections }).resolve('@sql').config.database;
};

describe('lookup order: explicit path → $OSIRIS_CONNECTIONS → $OSIRIS_HOME → cwd and its parents', () => {
  test('the first found wins and files are never merged', async () => {
    const t = await tree({
      'explicit.yaml': file('explicit'),
      'from-env.yaml': file('from_env'),
      [`home/${CONNECTIONS_FILE_NAME}`]: file('home'),
      [`project/${CONNECTIONS_FILE_NAME}`]: file('cwd'),
      [CONNECTIONS_FILE_NAME]: `connections:\n  api:\n    x: {}\n`,
      'project/deep/er/.keep': '',
    });
    const cwd = t.path('project/deep/er');
    const all = { OSIRIS_CONNECTIONS: t.path('from-env.yaml'), OSIRIS_HOME: t.path('home') };
    expect(await databaseOf({ path: t.path('explicit.yaml'), cwd, env: all })).toBe('explicit');
    expect(await databaseOf({ cwd, env: all })).toBe('from_env');
    expect(await databaseOf({ cwd, env: { OSIRIS_HOME: t.path('home') } })).toBe('home');
    const nearest = await loadConnections({ cwd, env: {} });
    expect(nearest.path).toBe(t.path(`project/${CONNECTIONS_FILE_NAME}`));
    expect([...nearest.families.keys()]).toEqual(['sql']);
    expect(nearest.searched).toEqual([
      t.path(`project/deep/er/${CONNECTIONS_FILE_NAME}`),
      t.path(`project/deep/${CONNECTIONS_FILE_NAME}`),
      t.path(`project/${CONNECTIONS_FILE_NAME}`),
    ]);
  });

  test('relative paths are taken from cwd; $OSIRIS_HOME without the file falls through to cwd', async () => {
    const t = await tree({ 'conf/c.yaml': file('relative'), [CONNECTIONS_FILE_NAME]: file('cwd') });
    expect(await databaseOf({ path: 'conf/c.yaml', cwd: t.root, env: {} })).toBe('relative');
    expect(await databaseOf({ cwd: t.root, env: { OSIRIS_CONNECTIONS: 'conf/c.yaml' } })).toBe('relative');
    expect(await databaseOf({ cwd: t.root, env: { OSIRIS_HOME: t.path('conf') } })).toBe('cwd');
  });

  test('a path the user named that does not exist is CONFIG_NOT_FOUND; no other file is used instead', async () => {
    const t = await tree({ [CONNECTIONS_FILE_NAME]: file('cwd') });
    const explicit = await rejected(loadConnections({ path: 'missing.yaml', cwd: t.root, env: {} }));
    expect(explicit).toMatchObject({ code: 'CONFIG_NOT_FOUND', category: 'config' });
    expect(explicit.message).toBe(
      `Connections file not found: ${t.path('missing.yaml')} (from the path given)`,
    );
    const fromEnv = await rejected(loadConnections({ cwd: t.root, env: { OSIRIS_CONNECTIONS: t.root } }));
    expect(fromEnv.message).toBe(`Connections file not found: ${t.root} (from $OSIRIS_CONNECTIONS)`);
    expect(fromEnv.hint).toBe('Check $OSIRIS_CONNECTIONS: it must name an existing file');
  });

  test('nothing found: CONFIG_NOT_FOUND listing every place it looked', async () => {
    const t = await tree({ 'a/b/.keep': '' });
    const error = await rejected(
      loadConnections({ cwd: t.path('a/b'), env: { OSIRIS_HOME: t.path('home') } }),
    );
    expect(error.code).toBe('CONFIG_NOT_FOUND');
    const searched = error.details?.searched as string[];
    expect(searched.slice(0, 4)).toEqual([
      t.path(`home/${CONNECTIONS_FILE_NAME}`),
      t.path(`a/b/${CONNECTIONS_FILE_NAME}`),
      t.path(`a/${CONNECTIONS_FILE_NAME}`),
      t.path(CONNECTIONS_FILE_NAME),
    ]);
    expect(searched.at(-1)).toBe(`/${CONNECTIONS_FILE_NAME}`);
    expect(error.message).toContain(
      `No ${CONNECTIONS_FILE_NAME} found; looked in:\n  ${searched[0]}\n  ${searched[1]}`,
    );
    expect(error.hint).toBe(
      `Create ${CONNECTIONS_FILE_NAME} in the project directory, or point $OSIRIS_CONNECTIONS at it`,
    );
  });
});

describe('.env files', () => {
  const uses = 'connections:\n  sql:\n    main:\n      database: ${DB_NAME}\n      user: ${DB_USER:-none}\n';

  test('fill unset variables only: a set variable, even an empty one, is never overridden', async () => {
    const t = await tree({
      [CONNECTIONS_FILE_NAME]: uses,
      '.env': 'DB_NAME=from_dotenv\nDB_USER=dotenv_user\n',
    });
    const given = { DB_USER: '' };
    const connections = await loadConnections({ cwd: t.root, env: given });
    expect(connections.env.DB_NAME).toBe('from_dotenv');
    expect(connections.env.DB_USER).toBe('');
    expect(connections.envFiles).toEqual([t.path('.env')]);
    expect([...connections.envOrigins]).toEqual([['DB_NAME', t.path('.env')]]);
    expect(given).toEqual({ DB_USER: '' });
    const resolver = createResolver({ registry, connections });
    expect(resolver.resolve('@sql').config).toMatchObject({ database: 'from_dotenv', user: 'none' });
    expect(resolver.raw('@sql').variables.map((v) => [v.name, v.set, v.source])).toEqual([
      ['DB_NAME', true, t.path('.env')],
      ['DB_USER', true, 'environment'],
    ]);
  });

  test('are read from the places searched, the nearest first, and never change process.env', async () => {
    const t = await tree({
      [CONNECTIONS_FILE_NAME]: uses,
      '.env': 'DB_NAME=outer\nDB_USER=outer_user\n',
      'inner/.env': 'DB_NAME=inner\n',
      'inner/deeper/.keep': '',
    });
    const before = { ...process.env };
    const connections = await loadConnections({ cwd: t.path('inner/deeper') });
    expect(connections.env.DB_NAME).toBe(process.env.DB_NAME ?? 'inner');
    expect(connections.env.DB_USER).toBe(process.env.DB_USER ?? 'outer_user');
    expect(connections.envFiles).toEqual([t.path('inner/.env'), t.path('.env')]);
    expect(process.env).toEqual(before);
  });

  test('only the places up to the file found count', async () => {
    const t = await tree({ [`project/${CONNECTIONS_FILE_NAME}`]: uses, '.env': 'DB_NAME=above_the_file\n' });
    const connections = await loadConnections({ cwd: t.path('project'), env: {} });
    expect(connections.envFiles).toEqual([]);
    expect(connections.env.DB_NAME).toBeUndefined();
  });

  test('an explicit path reads the .env beside it', async () => {
    const t = await tree({ 'conf/c.yaml': uses, 'conf/.env': 'DB_NAME=beside\n' });
    expect((await loadConnections({ path: t.path('conf/c.yaml'), env: {} })).env.DB_NAME).toBe('beside');
  });
});

describe('envFiles', () => {
  const uses = 'connections:\n  sql:\n    main:\n      database: ${DB_NAME}\n      user: ${DB_USER:-none}\n';

  test('are read in order before the .env beside the file; the first to set a variable wins, the environment over all', async () => {
    const t = await tree({
      [CONNECTIONS_FILE_NAME]: uses,
      '.env': 'DB_NAME=beside\nDB_USER=beside_user\nEXTRA=beside\n',
      'env/base.env': 'DB_NAME=base\nDB_USER=base_user\n',
      'env/local.env': 'DB_NAME=local\nTOKEN=local\n',
    });
    const connections = await loadConnections({
      cwd: t.root,
      env: { DB_USER: 'from_environment' },
      envFiles: ['env/local.env', t.path('env/base.env')],
    });
    expect(connections.env).toMatchObject({
      DB_NAME: 'local',
      DB_USER: 'from_environment',
      TOKEN: 'local',
      EXTRA: 'beside',
    });
    expect(connections.envFiles).toEqual([t.path('env/local.env'), t.path('env/base.env'), t.path('.env')]);
    expect(connections.envOrigins.get('DB_NAME')).toBe(t.path('env/local.env'));
    expect(connections.envOrigins.has('DB_USER')).toBe(false);
  });

  test('a named file that does not exist is ENV_FILE_NOT_FOUND: a typo in its path is not ignored', async () => {
    const t = await tree({ [CONNECTIONS_FILE_NAME]: uses });
    await expect(loadConnections({ cwd: t.root, env: {}, envFiles: ['nope.env'] })).rejects.toMatchObject({
      code: 'ENV_FILE_NOT_FOUND',
      category: 'config',
      file: t.path('nope.env'),
    });
  });
});

// keboola/osiris tests/core/test_env_loader.py, ported: the original loaded .env files into
// os.environ; here they fill the returned environment, and process.env is left alone.
describe('test_env_loader.py', () => {
  const uses = 'connections:\n  sql:\n    main:\n      database: ${DB_NAME}\n';

  test('test_load_env_from_cwd, test_exported_env_wins_over_dotenv, test_empty_string_treated_as_set', async () => {
    const t = await tree({ [CONNECTIONS_FILE_NAME]: uses, '.env': 'DB_NAME=from_cwd\nA=dotenv\nB=dotenv\n' });
    const { env } = await loadConnections({ cwd: t.root, env: { A: 'exported_value', B: '' } });
    expect(env).toMatchObject({ DB_NAME: 'from_cwd', A: 'exported_value', B: '' });
  });

  test('test_explicit_dotenv_paths', async () => {
    const t = await tree({
      [CONNECTIONS_FILE_NAME]: uses,
      'one.env': 'V1=value1\n',
      'two.env': 'V2=value2\n',
    });
    const loaded = await loadConnections({ cwd: t.root, env: {}, envFiles: ['one.env', 'two.env'] });
    expect(loaded.envFiles).toEqual([t.path('one.env'), t.path('two.env')]);
    expect(loaded.env).toMatchObject({ V1: 'value1', V2: 'value2' });
  });

  test('test_nonexistent_file_ignored — differs on purpose: a named file that is missing is ENV_FILE_NOT_FOUND', async () => {
    const t = await tree({ [CONNECTIONS_FILE_NAME]: uses });
    await expect(loadConnections({ cwd: t.root, env: {}, envFiles: ['missing.env'] })).rejects.toMatchObject({
      code: 'ENV_FILE_NOT_FOUND',
    });
    expect((await loadConnections({ cwd: t.root, env: {} })).envFiles).toEqual([]);
  });

  test('test_osiris_home_takes_priority: the .env beside $OSIRIS_HOME/osiris_connections.yaml', async () => {
    const t = await tree({
      [`home/${CONNECTIONS_FILE_NAME}`]: uses,
      'home/.env': 'DB_NAME=from_osiris_home\n',
    });
    const loaded = await loadConnections({ cwd: t.root, env: { OSIRIS_HOME: t.path('home') } });
    expect(loaded.env.DB_NAME).toBe('from_osiris_home');
  });
});
