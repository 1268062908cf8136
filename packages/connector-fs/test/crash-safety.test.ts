import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TEMP_SUFFIX } from '@osiris/connector-fs';
import { describe, expect, test } from 'vitest';
import { bundleScript } from './helpers/bundle-script.js';
import { completeVersion, crashContent } from './helpers/crash-content.js';
import { tempDir } from './helpers/temp-dir.js';

const TRIALS = 50;
/** Children at a time. */
const PARALLEL = 2;
const SIZE = 256 * 1024;
const writerSource = fileURLToPath(new URL('./helpers/crash-writer.ts', import.meta.url));

interface Trial {
  /** The version found after the kill (0 = the file as it was before the child started). */
  version: number | undefined;
  /** Temp files the killed write left behind: proof the kill landed mid-write. */
  leftovers: number;
  /** Reads made while the child was writing, each of which saw a complete version. */
  reads: number;
  killedAfterMs: number;
}

/** Starts a writer on `target`, reads the file while it works, kills it with SIGKILL after a random delay. */
async function killMidWrite(dir: string, writer: string, trial: number): Promise<Trial> {
  const target = join(dir, `file-${trial}.txt`);
  await writeFile(target, crashContent(0, SIZE));
  const child = spawn(process.execPath, [writer, target, String(SIZE)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = once(child, 'exit');
  let reads = 0;
  let killedAfterMs = 0;
  try {
    await once(child.stdout, 'data');
    killedAfterMs = Math.floor(Math.random() * 60);
    const deadline = performance.now() + killedAfterMs;
    while (performance.now() < deadline) {
      const seen = completeVersion(await readFile(target, 'utf8'), SIZE);
      if (seen === undefined) throw new Error(`a reader saw a partial file during trial ${trial}`);
      reads++;
    }
  } finally {
    child.kill('SIGKILL');
  }
  const [, signal] = await exited;
  expect(signal).toBe('SIGKILL');
  const names = await readdir(dir);
  const leftovers = names.filter(
    (name) => name.startsWith(`.file-${trial}.txt.`) && name.endsWith(TEMP_SUFFIX),
  );
  const version = completeVersion(await readFile(target, 'utf8'), SIZE);
  await Promise.all(leftovers.map((name) => rm(join(dir, name))));
  return { version, leftovers: leftovers.length, reads, killedAfterMs };
}

describe('crash safety', () => {
  test(`a writer killed with SIGKILL mid-write ${TRIALS} times leaves the old or the new file, never a part`, async () => {
    const dir = await tempDir();
    const writer = await bundleScript(writerSource, join(dir, 'crash-writer.mjs'));
    const trials: Trial[] = [];
    let next = 0;
    await Promise.all(
      Array.from({ length: PARALLEL }, async () => {
        while (next < TRIALS) trials.push(await killMidWrite(dir, writer, next++));
      }),
    );
    expect(trials).toHaveLength(TRIALS);
    const partial = trials.filter((trial) => trial.version === undefined);
    expect(partial).toEqual([]);
    // The kills must really land mid-write, and some after a complete replacement.
    const midWrite = trials.filter((trial) => trial.leftovers > 0).length;
    const replaced = trials.filter((trial) => (trial.version ?? 0) > 0).length;
    expect(midWrite).toBeGreaterThan(TRIALS / 4);
    expect(replaced).toBeGreaterThan(0);
    const reads = trials.reduce((sum, trial) => sum + trial.reads, 0);
    expect(reads).toBeGreaterThan(TRIALS);
    console.info(
      `crash safety: ${TRIALS} kills, ${midWrite} mid-write (temp file left), ${replaced} after at least one replacement, ${reads} reads during writes, no partial file`,
    );
  }, 240_000);
});
