import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { connectorPackages, installCommand } from '../src/index.js';

let root: string;
beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'osiris-pm-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** A project folder with `lockfile` in it, and a folder nested inside it. */
async function project(lockfile: string): Promise<string> {
  const dir = join(root, lockfile.replace(/\W/g, '-'));
  await mkdir(join(dir, 'src', 'deep'), { recursive: true });
  await writeFile(join(dir, lockfile), '');
  return join(dir, 'src', 'deep');
}

describe('installCommand', () => {
  test('names our package for first-party families and osiris-connector-<family> for the others', () => {
    const options = { cwd: root, env: {} };
    expect(installCommand('mysql', options)).toBe('npm install @osiris/connector-mysql');
    expect(installCommand('filesystem', options)).toBe('npm install @osiris/connector-fs');
    expect(installCommand('postgres', options)).toBe('npm install @osiris/connector-postgres');
    expect(installCommand('redis', options)).toBe('npm install osiris-connector-redis');
    expect(connectorPackages('redis')).toEqual(['@osiris/connector-redis', 'osiris-connector-redis']);
  });

  test.each([
    ['yarn.lock', 'yarn add osiris-connector-redis'],
    ['bun.lock', 'bun add osiris-connector-redis'],
    ['package-lock.json', 'npm install osiris-connector-redis'],
  ])('the nearest %s decides, even when pnpm runs the process', async (lockfile, command) => {
    const cwd = await project(lockfile);
    expect(
      installCommand('redis', { cwd, env: { npm_config_user_agent: 'pnpm/10.0.0 node/v20.19.0' } }),
    ).toBe(command);
  });

  test('without a lockfile, the package manager running the process (npm_config_user_agent) decides', () => {
    const agent = (name: string) => ({ cwd: root, env: { npm_config_user_agent: `${name}/1.0.0 node/v20` } });
    expect(installCommand('redis', agent('pnpm'))).toBe('pnpm add osiris-connector-redis');
    expect(installCommand('redis', agent('yarn'))).toBe('yarn add osiris-connector-redis');
    expect(installCommand('redis', agent('bun'))).toBe('bun add osiris-connector-redis');
    expect(installCommand('redis', agent('npm'))).toBe('npm install osiris-connector-redis');
  });
});
