/**
 * The benchmarks' measure of a run: wall time, and the CPU seconds this Node process (the client, and the test
 * service's /rest/v1 proxy), this run's PostgREST and the Postgres backends of its database spent meanwhile —
 * on a shared machine the CPU a path costs moves less with the load than its wall time does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { SupabaseTestService } from '@osiris/test-services';

/** /proc/<pid>/stat fields after the command name. */
function stat(pid: number | string): string[] | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return [
      text.slice(text.indexOf('(') + 1, text.lastIndexOf(')')),
      ...text.slice(text.lastIndexOf(')') + 2).split(' '),
    ];
  } catch {
    return undefined;
  }
}

/** CPU seconds each process has used so far (undefined once it has ended). */
const cpuOf = (pids: number[]) =>
  new Map(
    pids.map((pid) => {
      const fields = stat(pid);
      return [pid, fields === undefined ? undefined : (Number(fields[12]) + Number(fields[13])) / 100];
    }),
  );

const sum = (values: Iterable<number>) => [...values].reduce((a, b) => a + b, 0);

/** This run's PostgREST (our child) and the Postgres backends serving its database (PostgREST's pool, db_url's). */
async function serverProcesses(service: SupabaseTestService) {
  const postgrest = readdirSync('/proc')
    .filter((entry) => /^\d+$/.test(entry))
    .filter((pid) => {
      const fields = stat(pid);
      return fields?.[0] === 'postgrest' && Number(fields[2]) === process.pid;
    })
    .map(Number);
  const backends = await service.sql<{ pid: number }>(
    'SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()',
  );
  return { postgrest, postgres: backends.rows.map((row) => row.pid) };
}

/** A run's wall time, value and CPU. */
export interface Timed<T = unknown> {
  ms: number;
  value: T;
  /** CPU seconds spent meanwhile by this Node process (client and the test's /rest/v1 proxy), PostgREST, Postgres. */
  cpu: { node: number; postgrest: number; postgres: number };
}

/** Runs `run` and measures it; a backend that appeared during the run (a connection it opened) counts whole. */
export async function time<T>(service: SupabaseTestService, run: () => Promise<T>): Promise<Timed<T>> {
  const before = await serverProcesses(service);
  const node = process.cpuUsage();
  const postgrest = cpuOf(before.postgrest);
  const postgres = cpuOf(before.postgres);
  const started = performance.now();
  const value = await run();
  const ms = performance.now() - started;
  const used = process.cpuUsage(node);
  const after = await serverProcesses(service);
  // A process that ended meanwhile counts nothing (what it spent is gone with it).
  const spent = (was: Map<number, number | undefined>, pids: number[]) =>
    sum(
      [...cpuOf([...new Set([...was.keys(), ...pids])])].map(([pid, now]) =>
        now === undefined ? 0 : now - (was.get(pid) ?? 0),
      ),
    );
  const cpu = {
    node: (used.user + used.system) / 1e6,
    postgrest: spent(postgrest, after.postgrest),
    postgres: spent(postgres, after.postgres),
  };
  return { ms, value, cpu };
}
