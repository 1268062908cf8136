import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { API_VERSION, createRegistry, loadConnector } from '../src/index.js';

/**
 * Real packages in a temporary node_modules, imported by Node as a user's would be. They use the
 * real zod (linked in) and build their plugin by hand, as a compiled third-party package would.
 */
let root: string;

const pluginSource = (family: string, marker = 'plain', apiVersion = API_VERSION) => `
import { z } from 'zod';
const configSchema = z.strictObject({ path: z.string() });
export default Object.freeze({
  family: ${JSON.stringify(family)},
  apiVersion: ${apiVersion},
  configSchema,
  secrets: [],
  capabilities: [${JSON.stringify(marker)}],
  connect: async () => ({ check: async () => ({ message: 'ok' }), close: async () => {} }),
  jsonSchema: () => z.toJSONSchema(configSchema),
});
`;

async function writePackage(
  name: string,
  files: Record<string, string>,
  exportsField: unknown = './index.js',
) {
  const dir = join(root, 'node_modules', name);
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, type: 'module', exports: exportsField }));
  for (const [file, text] of Object.entries(files)) await writeFile(join(dir, file), text);
}

beforeAll(async () => {
  root = await realpath(await mkdtemp(join(tmpdir(), 'osiris-load-')));
  await mkdir(join(root, 'node_modules'), { recursive: true });
  const zodDir = dirname(createRequire(import.meta.url).resolve('zod/package.json'));
  await symlink(zodDir, join(root, 'node_modules', 'zod'), 'dir');
  await writePackage('@osiris/connector-alpha', { 'index.js': pluginSource('alpha') });
  await writePackage('osiris-connector-beta', { 'index.js': pluginSource('beta') });
  await writePackage('@osiris/connector-both', { 'index.js': pluginSource('both', 'scoped') });
  await writePackage('osiris-connector-both', { 'index.js': pluginSource('both', 'unscoped') });
  await writePackage('@osiris/connector-fs', { 'index.js': pluginSource('filesystem') });
  await writePackage(
    '@osiris/connector-conditional',
    { 'dist.js': pluginSource('conditional') },
    {
      '.': { types: './dist.d.ts', default: './dist.js' },
    },
  );
  await writePackage('@osiris/connector-boom', {
    'index.js': 'throw new Error("boom: native binding not built for this platform");',
  });
  await writePackage('osiris-connector-boom', { 'index.js': pluginSource('boom') });
  await writePackage('@osiris/connector-syntax', { 'index.js': 'export default {' });
  await writePackage('@osiris/connector-missing', {}, './dist/index.js');
  await writePackage(
    '@osiris/connector-importonly',
    { 'index.js': pluginSource('importonly') },
    {
      '.': { import: './index.js' },
    },
  );
  await writePackage('@osiris/connector-named', { 'index.js': 'export const plugin = {};' });
  await writePackage('@osiris/connector-junk', { 'index.js': 'export default { hello: "world" };' });
  await writePackage('@osiris/connector-other', { 'index.js': pluginSource('another') });
  await writePackage('@osiris/connector-future', {
    'index.js': pluginSource('future', 'plain', API_VERSION + 1),
  });
});

afterAll(async () => {
  await rm(root, { recursive: true, force: true });
});

describe('loadConnector', () => {
  test('imports @osiris/connector-<family> and returns its default export, ready to register', async () => {
    const plugin = await loadConnector('alpha', { from: root });
    expect(plugin.family).toBe('alpha');
    expect(createRegistry([plugin]).get('alpha')).toBe(plugin);
    expect(plugin.jsonSchema()).toMatchObject({ type: 'object', required: ['path'] });
  });

  test('falls back to osiris-connector-<family>', async () => {
    expect((await loadConnector('beta', { from: root })).family).toBe('beta');
  });

  test('prefers the scoped package when both are installed', async () => {
    expect((await loadConnector('both', { from: root })).capabilities).toEqual(['scoped']);
  });

  test('knows that the filesystem family lives in @osiris/connector-fs', async () => {
    expect((await loadConnector('filesystem', { from: root })).family).toBe('filesystem');
  });

  test('resolves through the package "default" export condition', async () => {
    expect((await loadConnector('conditional', { from: root })).family).toBe('conditional');
  });

  test('resolves from a subdirectory through parent node_modules, as Node does', async () => {
    const nested = join(root, 'apps', 'runner', 'src');
    await mkdir(nested, { recursive: true });
    expect((await loadConnector('alpha', { from: nested })).family).toBe('alpha');
  });

  test('a family installed nowhere is UNKNOWN_FAMILY naming both packages, the directory and the install command', async () => {
    await expect(loadConnector('gamma', { from: root })).rejects.toMatchObject({
      code: 'UNKNOWN_FAMILY',
      category: 'config',
      message: `No connector package for family "gamma" is installed (looked for @osiris/connector-gamma and osiris-connector-gamma from ${root})`,
      hint: 'Install it: pnpm add osiris-connector-gamma',
    });
  });

  test('searches from the current directory by default', async () => {
    await expect(loadConnector('gamma')).rejects.toMatchObject({
      code: 'UNKNOWN_FAMILY',
      message: expect.stringContaining(` from ${process.cwd()})`),
    });
  });

  test('a directory outside the install finds nothing', async () => {
    const elsewhere = await mkdtemp(join(tmpdir(), 'osiris-empty-'));
    try {
      await expect(loadConnector('alpha', { from: elsewhere })).rejects.toMatchObject({
        code: 'UNKNOWN_FAMILY',
      });
    } finally {
      await rm(elsewhere, { recursive: true, force: true });
    }
  });

  test('a package that throws while loading is PLUGIN_LOAD_FAILED with its error, not "not installed", and not skipped', async () => {
    const failure = loadConnector('boom', { from: root });
    await expect(failure).rejects.toMatchObject({
      code: 'PLUGIN_LOAD_FAILED',
      category: 'internal',
      message:
        'Connector package @osiris/connector-boom is installed but could not be loaded: boom: native binding not built for this platform',
      hint: 'Reinstall it (pnpm add @osiris/connector-boom) and check that it loads on this Node.js version',
    });
    await expect(failure).rejects.toHaveProperty(
      'cause.message',
      'boom: native binding not built for this platform',
    );
  });

  test('a package with a syntax error is PLUGIN_LOAD_FAILED', async () => {
    await expect(loadConnector('syntax', { from: root })).rejects.toMatchObject({
      code: 'PLUGIN_LOAD_FAILED',
      message: expect.stringMatching(
        /^Connector package @osiris\/connector-syntax is installed but could not be loaded: /,
      ),
    });
  });

  test('a package whose entry file is missing is PLUGIN_LOAD_FAILED naming the file', async () => {
    await expect(loadConnector('missing', { from: root })).rejects.toMatchObject({
      code: 'PLUGIN_LOAD_FAILED',
      message: expect.stringContaining(
        `Cannot find module '${join(root, 'node_modules/@osiris/connector-missing/dist/index.js')}'`,
      ),
    });
  });

  test('a package that exports no "default" condition is PLUGIN_LOAD_FAILED', async () => {
    await expect(loadConnector('importonly', { from: root })).rejects.toMatchObject({
      code: 'PLUGIN_LOAD_FAILED',
      message: expect.stringContaining('@osiris/connector-importonly is installed but could not be loaded'),
    });
  });

  test('a package without a default export is PLUGIN_INVALID', async () => {
    await expect(loadConnector('named', { from: root })).rejects.toMatchObject({
      code: 'PLUGIN_INVALID',
      category: 'config',
      message: 'Package @osiris/connector-named has no default export',
      hint: 'A connector package exports its plugin as default: export default defineConnector({...})',
    });
  });

  test('a default export that is not a plugin is PLUGIN_INVALID naming the package', async () => {
    await expect(loadConnector('junk', { from: root })).rejects.toMatchObject({
      code: 'PLUGIN_INVALID',
      message: 'Package @osiris/connector-junk: Invalid connector family name undefined',
    });
  });

  test('a plugin for another family is PLUGIN_INVALID naming both', async () => {
    await expect(loadConnector('other', { from: root })).rejects.toMatchObject({
      code: 'PLUGIN_INVALID',
      message: 'Package @osiris/connector-other provides connector family "another", not "other"',
    });
  });

  test('a plugin for another API version is PLUGIN_INCOMPATIBLE naming both versions', async () => {
    await expect(loadConnector('future', { from: root })).rejects.toMatchObject({
      code: 'PLUGIN_INCOMPATIBLE',
      message: `Package @osiris/connector-future: Connector "future" was built for plugin API version ${API_VERSION + 1}, but this @osiris/core speaks version ${API_VERSION}`,
    });
  });

  test('a name that cannot be a family is refused before any lookup', async () => {
    for (const family of ['../alpha', 'Alpha', '', 'alpha/../../x']) {
      await expect(loadConnector(family, { from: root })).rejects.toMatchObject({
        code: 'UNKNOWN_FAMILY',
        message: `${JSON.stringify(family)} is not a connector family name`,
      });
    }
  });
});
