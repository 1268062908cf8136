import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { atomicWriteFile, TEMP_SUFFIX } from '@osiris/connector-fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { bundleScript } from './helpers/bundle-script.js';
import { tempDir } from './helpers/temp-dir.js';

const writerSource = fileURLToPath(new URL('./helpers/stalled-writer.ts', import.meta.url));
let dir: string;
let writer: string;
const children: ChildProcess[] = [];

beforeAll(async () => {
  dir = await tempDir();
  writer = await bundleScript(writerSource, join(dir, 'stalled-writer.mjs'));
});
afterAll(() => {
  for (const child of children) child.kill('SIGKILL');
});

/** A writer process in the middle of writing `target`: its temp file exists until it is killed. */
async function stalledWriter(target: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, [writer, target], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  await once(child.stdout!, 'data');
  return child;
}

async function kill(child: ChildProcess): Promise<void> {
  const exited = once(child, 'exit');
  child.kill('SIGKILL');
  await exited;
}

const tempsOf = async (target: string) =>
  (await readdir(dir)).filter((name) => name.startsWith(`.${target}.`) && name.endsWith(TEMP_SUFFIX)).sort();

/** The temp file a live writer has open right now (the one name that appeared when it started). */
async function newTemp(target: string, before: string[], child: ChildProcess): Promise<string> {
  const added = (await tempsOf(target)).filter((name) => !before.includes(name));
  expect(added, `temp file of writer ${child.pid}`).toHaveLength(1);
  return added[0]!;
}

describe('temp files of killed writers', () => {
  test('the next write of the same target removes those of SIGKILLed writers, never the one a live writer has open', async () => {
    const target = join(dir, 'orders.csv');
    await writeFile(target, 'old\n');
    // Three writers at once: none removes another's temp file while it is alive.
    const killed = await Promise.all([1, 2, 3].map(() => stalledWriter(target)));
    expect(await tempsOf('orders.csv')).toHaveLength(3);
    for (const child of killed) await kill(child);
    const left = await tempsOf('orders.csv');
    expect(left).toHaveLength(3);
    // The next writer of the target sweeps them before it starts; its own temp file is the one left.
    const live = await stalledWriter(target);
    const liveTemp = (await tempsOf('orders.csv')).filter((name) => !left.includes(name));
    expect(await tempsOf('orders.csv')).toEqual(liveTemp);
    expect(liveTemp).toHaveLength(1);
    const other = join(dir, 'other.csv');
    await kill(await stalledWriter(other));

    await atomicWriteFile(target, 'new\n');

    expect(await readFile(target, 'utf8')).toBe('new\n');
    expect(await tempsOf('orders.csv')).toEqual(liveTemp);
    // Only the target written is swept: another file's leftovers wait for a write of that file.
    expect(await tempsOf('other.csv')).toHaveLength(1);
    expect(live.exitCode).toBeNull();

    await kill(live);
    await atomicWriteFile(target, 'newer\n');
    expect(await tempsOf('orders.csv')).toEqual([]);
  });

  test("a temp file naming a live PID that started at another time is its dead writer's (the PID was reused): removed", async () => {
    const target = join(dir, 'reused.csv');
    const live = await stalledWriter(target);
    const liveTemp = await newTemp('reused.csv', [], live);
    // The same writer identity with another start time: what a dead writer whose PID `live` got looks like.
    const [boot, namespace, pid, started] = liveTemp.slice('.reused.csv.'.length).split('.')[0]!.split('-');
    expect(Number(pid)).toBe(live.pid);
    const reused = `.reused.csv.${boot}-${namespace}-${pid}-${Number(started) - 1}.0123456789abcdef${TEMP_SUFFIX}`;
    // Files this version cannot judge stay: an older version's name, and a writer of another boot (another machine on a shared disk).
    const legacy = `.reused.csv.0123456789abcdef${TEMP_SUFFIX}`;
    const otherBoot = `.reused.csv.ffffffff-${namespace}-${pid}-1.0123456789abcdef${TEMP_SUFFIX}`;
    for (const name of [reused, legacy, otherBoot]) await writeFile(join(dir, name), 'partial');

    await atomicWriteFile(target, 'done\n');

    expect(await tempsOf('reused.csv')).toEqual([liveTemp, legacy, otherBoot].sort());
    await kill(live);
  });
});
