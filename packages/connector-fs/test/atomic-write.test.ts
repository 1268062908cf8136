import { chmod, mkdir, readdir, readFile, realpath, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { setImmediate } from 'node:timers/promises';
import { TEMP_SUFFIX } from '@osiris/connector-fs';
import { isConnectorError } from '@osiris/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { connect, tempDir } from './helpers/temp-dir.js';

let base: string;
beforeAll(async () => {
  base = await tempDir();
});

const tempFilesIn = async (dir: string) => (await readdir(dir)).filter((name) => name.endsWith(TEMP_SUFFIX));

async function* slowly(chunks: readonly (string | Uint8Array)[]) {
  for (const chunk of chunks) {
    await setImmediate();
    yield chunk;
  }
}

describe('atomicWrite: what it accepts', () => {
  const contents: Record<string, () => Parameters<Awaited<ReturnType<typeof connect>>['atomicWrite']>[1]> = {
    string: () => 'héllo wörld',
    bytes: () => new TextEncoder().encode('héllo wörld'),
    'a Node stream': () => Readable.from(['hél', 'lo ', Buffer.from('wörld')]),
    'an async iterable': () => slowly(['hél', new TextEncoder().encode('lo '), 'wörld']),
    'a sync iterable': () => ['héllo', ' wörld'],
  };
  for (const [kind, content] of Object.entries(contents)) {
    test(kind, async () => {
      const conn = await connect({ base_dir: base });
      const bytes = await conn.atomicWrite(`accepts/${kind}.txt`, content());
      expect(await readFile(join(base, 'accepts', `${kind}.txt`), 'utf8')).toBe('héllo wörld');
      expect(bytes).toBe(Buffer.byteLength('héllo wörld'));
      expect(await tempFilesIn(join(base, 'accepts'))).toEqual([]);
    });
  }
});

describe('atomicWrite: replacing a file', () => {
  test('keeps the permission bits of the file it replaces', async () => {
    const conn = await connect({ base_dir: base });
    for (const mode of [0o640, 0o600, 0o755]) {
      await writeFile(join(base, 'mode.txt'), 'old');
      await chmod(join(base, 'mode.txt'), mode);
      await conn.atomicWrite('mode.txt', 'new');
      expect((await stat(join(base, 'mode.txt'))).mode & 0o7777).toBe(mode);
      expect(await readFile(join(base, 'mode.txt'), 'utf8')).toBe('new');
    }
  });

  test('a new file gets the usual mode (0666 less the umask)', async () => {
    const conn = await connect({ base_dir: base });
    await conn.atomicWrite('fresh.txt', 'x');
    expect((await stat(join(base, 'fresh.txt'))).mode & 0o777).toBe(0o666 & ~process.umask());
  });

  test('an error from the content leaves the old file and no temp file, and is passed on as it is', async () => {
    const conn = await connect({ base_dir: base });
    await writeFile(join(base, 'kept.txt'), 'old content');
    const failure = new Error('source broke');
    async function* failing() {
      yield 'new '.repeat(100_000);
      throw failure;
    }
    await expect(conn.atomicWrite('kept.txt', failing())).rejects.toBe(failure);
    expect(await readFile(join(base, 'kept.txt'), 'utf8')).toBe('old content');
    expect(await tempFilesIn(base)).toEqual([]);
  });

  test('an abort leaves the old file and no temp file', async () => {
    const conn = await connect({ base_dir: base });
    await writeFile(join(base, 'aborted.txt'), 'old content');
    const controller = new AbortController();
    async function* endless() {
      for (let i = 0; ; i++) {
        if (i === 3) controller.abort();
        yield `chunk ${i}\n`;
        await setImmediate();
      }
    }
    const error = await conn
      .atomicWrite('aborted.txt', endless(), { signal: controller.signal })
      .catch((e) => e);
    expect((error as Error).name).toBe('AbortError');
    expect(await readFile(join(base, 'aborted.txt'), 'utf8')).toBe('old content');
    expect(await tempFilesIn(base)).toEqual([]);
  });

  test('closing the connection aborts a write in flight and refuses new ones', async () => {
    const conn = await connect({ base_dir: base });
    await writeFile(join(base, 'closing.txt'), 'old content');
    async function* endless() {
      for (let i = 0; ; i++) {
        if (i === 3) await conn.close();
        yield `chunk ${i}\n`;
      }
    }
    const error = await conn.atomicWrite('closing.txt', endless()).catch((e) => e);
    expect(isConnectorError(error) && error.code).toBe('CONNECTION_CLOSED');
    expect(await readFile(join(base, 'closing.txt'), 'utf8')).toBe('old content');
    expect(await tempFilesIn(base)).toEqual([]);
    await expect(conn.atomicWrite('closing.txt', 'x')).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
  });

  test('text latin1 cannot hold is refused, not mangled', async () => {
    const conn = await connect({ base_dir: base });
    await expect(conn.atomicWrite('latin.txt', 'crème ☕', { encoding: 'latin1' })).rejects.toMatchObject({
      code: 'VALUE_INVALID',
    });
    await conn.atomicWrite('latin.txt', 'crème', { encoding: 'latin1' });
    expect(await readFile(join(base, 'latin.txt'))).toEqual(Buffer.from('crème', 'latin1'));
    expect(await tempFilesIn(base)).toEqual([]);
  });

  test('a directory in the way is reported as IS_A_DIRECTORY and left alone', async () => {
    const conn = await connect({ base_dir: base });
    await mkdir(join(base, 'a-dir'), { recursive: true });
    await expect(conn.atomicWrite('a-dir', 'x')).rejects.toMatchObject({
      code: 'IS_A_DIRECTORY',
      category: 'config',
    });
    expect((await stat(join(base, 'a-dir'))).isDirectory()).toBe(true);
    expect(await tempFilesIn(base)).toEqual([]);
  });
});

describe('atomicWrite: concurrent writers', () => {
  test('eight interleaved writers to one file: the result is exactly one writer’s complete content', async () => {
    const conn = await connect({ base_dir: base });
    const contentOf = (writer: number) =>
      Array.from({ length: 40 }, (_, i) => `writer ${writer} chunk ${i} `.repeat(200));
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        Array.from({ length: 8 }, (_, writer) =>
          conn.atomicWrite('contended.txt', slowly(contentOf(writer))),
        ),
      );
      const text = await readFile(join(base, 'contended.txt'), 'utf8');
      const winner = Number(/^writer (\d+)/.exec(text)?.[1]);
      expect(text).toBe(contentOf(winner).join(''));
      expect(await tempFilesIn(base)).toEqual([]);
    }
  });
});

describe('directories', () => {
  test('create_dirs: missing parent directories are created on write', async () => {
    const conn = await connect({ base_dir: join(base, 'made') });
    await conn.atomicWrite('a/b/c.txt', 'deep');
    expect(await readFile(join(base, 'made', 'a', 'b', 'c.txt'), 'utf8')).toBe('deep');
  });

  test('create_dirs: false → a missing parent is FILE_NOT_FOUND, and nothing is created', async () => {
    const conn = await connect({ base_dir: base, create_dirs: false });
    await expect(conn.atomicWrite('missing/c.txt', 'x')).rejects.toMatchObject({
      code: 'FILE_NOT_FOUND',
      category: 'not_found',
    });
    await expect(stat(join(base, 'missing'))).rejects.toMatchObject({ code: 'ENOENT' });
  });

  test('ensureDir creates a directory tree and returns its real path; again is harmless', async () => {
    const conn = await connect({ base_dir: base, create_dirs: 'false' });
    const made = await conn.ensureDir('x/y/z');
    expect(made).toBe(join(await realpath(base), 'x', 'y', 'z'));
    expect((await stat(made)).isDirectory()).toBe(true);
    expect(await conn.ensureDir('x/y/z')).toBe(made);
  });
});
