import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { connect, openPaths, tempDir } from './helpers/temp-dir.js';

const base = await tempDir();
const content = randomBytes(700 * 1024);
await writeFile(join(base, 'blob.bin'), content);
const holding = async () => (await openPaths()).filter((path) => path.endsWith('blob.bin'));

describe('readBytes', () => {
  test('streams the file’s bytes exactly, in chunks, and closes it at the end', async () => {
    const conn = await connect({ base_dir: base });
    const chunks: Buffer[] = [];
    for await (const chunk of conn.readBytes('blob.bin')) chunks.push(chunk);
    expect(chunks.length).toBeGreaterThan(1);
    expect(Buffer.concat(chunks).equals(content)).toBe(true);
    expect(await holding()).toEqual([]);
  });

  test('leaving early or aborting closes the file', async () => {
    const conn = await connect({ base_dir: base });
    for await (const chunk of conn.readBytes('blob.bin')) {
      expect(chunk.length).toBeGreaterThan(0);
      expect(await holding()).toHaveLength(1);
      break;
    }
    expect(await holding()).toEqual([]);
    const controller = new AbortController();
    const error = await (async () => {
      for await (const _ of conn.readBytes('blob.bin', { signal: controller.signal })) controller.abort();
    })().catch((caught: unknown) => caught);
    expect((error as Error).name).toBe('AbortError');
    expect(await holding()).toEqual([]);
  });

  test('a missing file is FILE_NOT_FOUND; a path outside base_dir is PATH_OUTSIDE_BASE, when iterated', async () => {
    const conn = await connect({ base_dir: base });
    const drain = async (path: string) => {
      for await (const _ of conn.readBytes(path));
    };
    await expect(drain('nope.bin')).rejects.toMatchObject({ code: 'FILE_NOT_FOUND', category: 'not_found' });
    await expect(drain('../blob.bin')).rejects.toMatchObject({ code: 'PATH_OUTSIDE_BASE' });
  });
});
