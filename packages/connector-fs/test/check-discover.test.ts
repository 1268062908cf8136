import { mkdir, readdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { connect, tempDir } from './helpers/temp-dir.js';

let root: string;
beforeAll(async () => {
  root = await tempDir();
});

describe('check()', () => {
  test('an existing directory: writable, its free space reported, and nothing written to it', async () => {
    const base = join(root, 'existing');
    await mkdir(base);
    const report = await (await connect({ base_dir: base })).check();
    expect(report.message).toMatch(new RegExp(`^${base} is writable, [\\d.]+ [KMGTP]?i?B free$`));
    expect(report.details).toMatchObject({ baseDir: base, exists: true });
    expect(report.details?.freeBytes).toBeGreaterThan(0);
    expect(report.details?.totalBytes).toBeGreaterThanOrEqual(report.details?.freeBytes as number);
    expect(await readdir(base)).toEqual([]);
  });

  test('a missing directory with create_dirs (the default) passes and is not created: the first write creates it', async () => {
    const base = join(root, 'to', 'be', 'made');
    const conn = await connect({ base_dir: base });
    const report = await conn.check();
    expect(report.details).toMatchObject({ exists: false });
    expect(report.message).toContain('(created on first write)');
    expect(await readdir(root)).not.toContain('to');
    await conn.write({ path: 'x.csv', rows: [[{ a: 1 }]] });
    expect((await readdir(base)).sort()).toEqual(['x.csv', 'x.csv.schema.json']);
  });

  test('a base_dir below a file is NOT_A_DIRECTORY, naming the file in the way', async () => {
    await writeFile(join(root, 'in-the-way'), 'x');
    const conn = await connect({ base_dir: join(root, 'in-the-way', 'below') });
    await expect(conn.check()).rejects.toMatchObject({
      code: 'NOT_A_DIRECTORY',
      message: expect.stringContaining(`${join(root, 'in-the-way')} is a file`),
    });
  });

  test('a missing directory with create_dirs: false is BASE_DIR_MISSING (not_found)', async () => {
    const conn = await connect({ base_dir: join(root, 'absent'), create_dirs: false });
    await expect(conn.check()).rejects.toMatchObject({ code: 'BASE_DIR_MISSING', category: 'not_found' });
  });

  test('a file as base_dir is NOT_A_DIRECTORY (config)', async () => {
    await writeFile(join(root, 'plain-file'), 'x');
    const conn = await connect({ base_dir: join(root, 'plain-file') });
    await expect(conn.check()).rejects.toMatchObject({ code: 'NOT_A_DIRECTORY', category: 'config' });
  });

  test('an aborted signal, and a closed connection, refuse the check', async () => {
    const conn = await connect({ base_dir: root });
    await expect(conn.check({ signal: AbortSignal.abort() })).rejects.toMatchObject({ name: 'AbortError' });
    await conn.close();
    await expect(conn.check()).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
  });
});

describe('discover()', () => {
  test('files under base_dir with size, format, columns and row estimates; hidden files, temp files and links left out', async () => {
    const base = join(root, 'discover');
    await mkdir(join(base, 'nested', 'deeper'), { recursive: true });
    await mkdir(join(base, '.hidden-dir'));
    await writeFile(join(base, 'orders.csv'), 'id,total\n1,9.5\n2,10\n');
    await writeFile(
      join(base, 'nested', 'events.jsonl'),
      '{"at":1,"kind":"a"}\n{"at":2,"kind":"b"}\n{"at":3}\n',
    );
    await writeFile(join(base, 'nested', 'deeper', 'notes.txt'), 'hello');
    await writeFile(join(base, 'empty.csv'), '');
    await writeFile(join(base, 'broken.csv'), 'a,a\n1,2\n');
    await writeFile(join(base, '.secret.csv'), 'x\n1\n');
    await writeFile(join(base, '.orders.csv.0123abcd.osiris-tmp'), 'partial');
    await writeFile(join(base, '.hidden-dir', 'inside.csv'), 'x\n1\n');
    await symlink('/etc', join(base, 'etc-link'));
    await symlink(join(base, 'orders.csv'), join(base, 'orders-link.csv'));
    const big = `n,text\n${Array.from({ length: 20_000 }, (_, i) => `${i},${'x'.repeat(i % 40)}`).join('\n')}\n`;
    await writeFile(join(base, 'big.csv'), big);

    const found = await (await connect({ base_dir: base })).discover();
    expect(found.map((resource) => resource.name)).toEqual([
      'big.csv',
      'broken.csv',
      'empty.csv',
      'nested/deeper/notes.txt',
      'nested/events.jsonl',
      'orders.csv',
    ]);
    const byName = Object.fromEntries(found.map((resource) => [resource.name, resource]));
    expect(byName['orders.csv']).toMatchObject({
      kind: 'file',
      rowEstimate: 2,
      columns: [{ name: 'id' }, { name: 'total' }],
      details: { size: 20, format: 'csv' },
    });
    expect(byName['nested/events.jsonl']).toMatchObject({
      rowEstimate: 3,
      columns: [{ name: 'at' }, { name: 'kind' }],
      details: { format: 'jsonl' },
    });
    expect(byName['empty.csv']).toMatchObject({ rowEstimate: 0, columns: [] });
    expect(byName['nested/deeper/notes.txt']).toEqual({
      name: 'nested/deeper/notes.txt',
      kind: 'file',
      details: { size: 5, modifiedAt: expect.any(String) },
    });
    expect(byName['broken.csv']?.details?.error).toMatch(/twice/);
    const under = await (await connect({ base_dir: base })).discover({ path: './nested/' });
    expect(under.map((resource) => resource.name)).toEqual([
      'nested/deeper/notes.txt',
      'nested/events.jsonl',
    ]);
    // Past the 64 KiB sample the count is an estimate: within 10% here.
    expect(byName['big.csv']?.rowEstimate).toBeGreaterThan(18_000);
    expect(byName['big.csv']?.rowEstimate).toBeLessThan(22_000);
  });

  test('discover({ path }) stays inside base_dir and wants a folder', async () => {
    const base = join(root, 'discover-limits');
    await mkdir(base);
    await writeFile(join(base, 'one.csv'), 'a\n1\n');
    const conn = await connect({ base_dir: base });
    await expect(conn.discover({ path: '../' })).rejects.toMatchObject({ code: 'PATH_OUTSIDE_BASE' });
    await expect(conn.discover({ path: 'one.csv' })).rejects.toMatchObject({ code: 'NOT_A_DIRECTORY' });
    await expect(conn.discover({ path: 'absent' })).rejects.toMatchObject({ code: 'FILE_NOT_FOUND' });
  });
});
