/**
 * Names of the temp files atomic writes use, and the sweep that removes the ones a killed writer
 * left behind. A temp name carries its writer's identity (boot, PID namespace, PID and the PID's
 * start time), so a sweep removes a file only when its writer is provably gone: never one a live
 * writer owns, also when its PID has since been given to another process.
 */
import { randomBytes } from 'node:crypto';
import { readFileSync, readlinkSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Suffix of the temporary files a write leaves behind only when its process is killed. */
export const TEMP_SUFFIX = '.osiris-tmp';

/** Who wrote a temp file: enough to tell, later and from another process, whether it still runs. */
interface Writer {
  /** The machine's boot id (first 8 hex digits) on Linux, `x` elsewhere. */
  boot: string;
  /** The PID namespace's inode on Linux, `x` elsewhere: PIDs of another namespace cannot be checked from here. */
  namespace: string;
  pid: number;
  /** When the process started (clock ticks since boot on Linux, ms since the epoch elsewhere). */
  started: string;
}

const readOr = (read: () => string, fallback: string) => {
  try {
    return read();
  } catch {
    return fallback;
  }
};

/** The start time of `pid` from `/proc/<pid>/stat` (field 22), or undefined without procfs or process. */
function linuxStartTime(pid: number | 'self'): string | undefined {
  const stat = readOr(() => readFileSync(`/proc/${pid}/stat`, 'utf8'), '');
  // The command name (field 2) may hold spaces and parentheses: count fields after its last `)`.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields[19];
}

let self: Writer | undefined;
function thisWriter(): Writer {
  self ??= {
    boot: readOr(
      () => readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').replace(/-/g, '').slice(0, 8),
      'x',
    ),
    namespace: readOr(() => /\d+/.exec(readlinkSync('/proc/self/ns/pid'))?.[0] ?? 'x', 'x'),
    pid: process.pid,
    started: linuxStartTime('self') ?? String(Math.round(performance.timeOrigin)),
  };
  return self;
}

/** The start of every temp name of `target` (names are capped at 255 bytes, so long names are cut). */
const tempPrefix = (target: string) => `.${basename(target).slice(0, 150)}.`;

const TEMP_NAME = /^(\w+)-(\w+)-(\d+)-(\d+)\.[0-9a-f]{16}$/;

/** A fresh temp path next to `target`, naming this process as its writer. */
export function tempPathFor(target: string): string {
  const { boot, namespace, pid, started } = thisWriter();
  const owner = `${boot}-${namespace}-${pid}-${started}`;
  return join(
    dirname(target),
    `${tempPrefix(target)}${owner}.${randomBytes(8).toString('hex')}${TEMP_SUFFIX}`,
  );
}

/**
 * Whether the writer named in a temp file is gone for sure. Unknown formats (older versions wrote
 * only a nonce), other boots, other PID namespaces and this very process count as alive: their files stay.
 */
function writerIsGone(writer: Writer): boolean {
  const me = thisWriter();
  // Another boot may be another machine sharing the directory: nothing here can tell whether it runs.
  if (writer.boot !== me.boot || writer.namespace !== me.namespace || writer.pid === me.pid) return false;
  try {
    process.kill(writer.pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
  }
  // The PID is in use: by the writer, or by a process that got the PID after the writer died.
  const started = me.boot === 'x' ? undefined : linuxStartTime(writer.pid);
  return started !== undefined && started !== writer.started;
}

/**
 * Removes the temp files of `target` whose writers were killed. Best effort: a file that cannot be
 * listed or removed is left for the next write, and the write goes on.
 */
export async function removeStaleTemps(target: string): Promise<void> {
  const prefix = tempPrefix(target);
  const names = await readdir(dirname(target)).catch(() => [] as string[]);
  for (const name of names) {
    if (!name.startsWith(prefix) || !name.endsWith(TEMP_SUFFIX)) continue;
    const match = TEMP_NAME.exec(name.slice(prefix.length, -TEMP_SUFFIX.length));
    if (match === null) continue;
    const [, boot, namespace, pid, started] = match;
    if (writerIsGone({ boot: boot!, namespace: namespace!, pid: Number(pid), started: started! })) {
      await rm(join(dirname(target), name), { force: true }).catch(() => undefined);
    }
  }
}
