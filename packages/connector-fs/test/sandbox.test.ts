import { mkdir, readdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FsConnection } from '@osiris/connector-fs';
import { isConnectorError } from '@osiris/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { collect, connect, tempDir } from './helpers/temp-dir.js';

let root: string;
let base: string;
let outside: string;

beforeAll(async () => {
  root = await tempDir();
  base = join(root, 'base');
  outside = join(root, 'outside');
  await mkdir(join(base, 'inner'), { recursive: true });
  await mkdir(outside);
  await writeFile(join(outside, 'secret.csv'), 'a\n1\n');
  await symlink(outside, join(base, 'linked-dir'));
  await symlink(join(outside, 'secret.csv'), join(base, 'linked-file.csv'));
  await symlink(join(outside, 'not-yet.csv'), join(base, 'dangling.csv'));
  await symlink('../inner', join(base, 'inner', 'loop-up'));
  await writeFile(join(base, 'inner', 'data.csv'), 'a\n1\n');
  await symlink(join(base, 'inner', 'data.csv'), join(base, 'alias.csv'));
});

/** Every way a request names a path, each of which must be refused before touching anything. */
const operations: Record<string, (conn: FsConnection, path: string) => Promise<unknown>> = {
  write: (conn, path) => conn.write({ path, format: 'csv', rows: [[{ a: 1 }]] }),
  read: (conn, path) => collect(conn.read({ path, format: 'csv' })),
  readBytes: async (conn, path) => {
    for await (const _ of conn.readBytes(path));
  },
  atomicWrite: (conn, path) => conn.atomicWrite(path, 'x'),
  ensureDir: (conn, path) => conn.ensureDir(path),
};

const escapes: Record<string, (baseDir: string) => string> = {
  'parent climb': () => '../outside/secret.csv',
  'climb after descending': () => 'inner/../../outside/x.csv',
  'backslash climb': () => '..\\outside\\x.csv',
  'absolute path': () => '/etc/passwd',
  'absolute path that is inside base_dir': (baseDir) => join(baseDir, 'inner', 'x.csv'),
  'NUL byte': () => 'inner/data.csv\0.txt',
  'percent-encoded climb': () => '%2e%2e/outside/x.csv',
  'percent-encoded separator': () => '..%2foutside%2fx.csv',
  'percent-encoded NUL': () => 'x.csv%00.txt',
  'symlinked parent directory': () => 'linked-dir/secret.csv',
  'symlinked parent, new file': () => 'linked-dir/new/x.csv',
  'symlinked target file': () => 'linked-file.csv',
  'dangling symlink leading out': () => 'dangling.csv',
};

describe('sandbox: paths that lead outside base_dir are refused with PATH_OUTSIDE_BASE, nothing touched', () => {
  for (const [operation, run] of Object.entries(operations)) {
    for (const [label, path] of Object.entries(escapes)) {
      test(`${operation}: ${label}`, async () => {
        const conn = await connect({ base_dir: base });
        const before = await snapshot(root);
        const error = await run(conn, path(base)).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(isConnectorError(error) && error.code).toBe('PATH_OUTSIDE_BASE');
        expect(isConnectorError(error) && error.category).toBe('permission');
        expect(await snapshot(root)).toEqual(before);
        await conn.close();
      });
    }
  }
});

describe('sandbox: paths that stay inside are allowed', () => {
  test('an inner ".." that stays below base_dir', async () => {
    const conn = await connect({ base_dir: base });
    await conn.atomicWrite('inner/../inner/ok.txt', 'fine');
    expect(await readFile(join(base, 'inner', 'ok.txt'), 'utf8')).toBe('fine');
  });

  test('a symlink that points inside is followed: the link stays, its target is replaced', async () => {
    const conn = await connect({ base_dir: base });
    await conn.write({ path: 'alias.csv', rows: [[{ a: 2 }]] });
    expect(await readFile(join(base, 'inner', 'data.csv'), 'utf8')).toBe('a\n2\n');
    // The descriptor lies beside the real file, so the read through the link finds it: typed.
    expect(await collect(conn.read({ path: 'alias.csv' }))).toEqual([{ a: 2n }]);
  });

  test('a link back up to a directory inside is followed', async () => {
    const conn = await connect({ base_dir: base });
    expect(await collect(conn.read({ path: 'inner/loop-up/loop-up/data.csv' }))).toEqual([{ a: 2n }]);
  });

  test('a literal "%" that encodes nothing dangerous is an ordinary name', async () => {
    const conn = await connect({ base_dir: base });
    await conn.atomicWrite('100%20done.txt', 'ok');
    expect(await readFile(join(base, '100%20done.txt'), 'utf8')).toBe('ok');
  });

  test('the message names the path and says why, and the hint says what to do', async () => {
    const conn = await connect({ base_dir: base });
    const error = await conn.atomicWrite('../x', 'x').catch((caught: unknown) => caught);
    expect(String((error as Error).message)).toMatch(/"\.\.\/x".*climbs above base_dir/);
    expect((error as { hint?: string }).hint).toMatch(/relative path inside base_dir/);
  });
});

/** Every entry under `dir` with its content (files) or link target, to prove nothing changed. */
async function snapshot(dir: string): Promise<Record<string, string>> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const result: Record<string, string> = {};
  for (const entry of entries) {
    const path = join(entry.parentPath, entry.name);
    if (entry.isFile()) result[path] = await readFile(path, 'utf8');
    else result[path] = entry.isSymbolicLink() ? 'link' : 'dir';
  }
  return result;
}
