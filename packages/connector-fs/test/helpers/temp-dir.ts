import { mkdtemp, readdir, readlink, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type FsConnection, type FsReadRequest, fsConnector } from '@osiris/connector-fs';
import type { Row } from '@osiris/core';
import { afterAll } from 'vitest';

/** A fresh temporary directory, removed after the test file. */
export async function tempDir(prefix = 'osiris-fs-'): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  afterAll(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

/** A connection as an application gets it: the config validated by the plugin's schema. */
export async function connect(config: Record<string, unknown>): Promise<FsConnection> {
  const parsed = fsConnector.configSchema.parse(config);
  return fsConnector.connect(parsed, { reference: '@filesystem.test', alias: 'test' });
}

/** Paths this process holds open, as the kernel lists them. */
export async function openPaths(): Promise<string[]> {
  const fds = await readdir('/proc/self/fd');
  const paths = await Promise.all(fds.map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')));
  return paths.filter((path) => path !== '');
}

/** All rows of a read, in order. */
export async function collect<T>(stream: AsyncIterable<T[]>): Promise<T[]> {
  const rows: T[] = [];
  for await (const batch of stream) rows.push(...batch);
  return rows;
}

/** A connection on a fresh directory, and `readBack`: write a file by hand, read it with a request. */
export async function readingBench() {
  const base = await tempDir();
  const conn = await connect({ base_dir: base });
  const readBack = async (
    name: string,
    content: string | Buffer,
    request: Partial<FsReadRequest> = {},
  ): Promise<Row[]> => {
    await writeFile(join(base, name), content);
    return collect(conn.read({ path: name, ...request }));
  };
  return { base, conn, readBack };
}
