/**
 * Benchmark (not a test): a Supabase append of 1,000,000 rows (COPY_ROWS=…) of 10 mixed columns, with `db_url`
 * (COPY through connector-postgres) against the REST path at its defaults (500-row requests, 2 in flight), same
 * run, same PostgREST 12 over the machine's PostgreSQL; from row objects a user writes and from a source
 * offering the fast lane (as a MySQL read would). `psql \copy` of the same rows from a CSV file is the floor.
 * Rows are generated batch by batch (1,000 at a time), so memory stays bounded whatever COPY_ROWS is.
 * Run: pnpm --filter @osiris/connector-supabase bench   (COPY_ROWS=…, ROUNDS=… to change it)
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { positionalStream, type WriteResult } from '@osiris/core';
import { startSupabaseTestService } from '@osiris/test-services';
import { supabaseConnector } from '../src/index.js';
import { type Timed, time } from './measure.js';
import { COLUMNS, canonicalAt, DESCRIBED, userRow } from './rows.js';

const COPY_ROWS = Number(process.env.COPY_ROWS ?? 1_000_000);
const ROUNDS = Number(process.env.COPY_ROUNDS ?? 1);
const BATCH = 1000;

/** The rows as row objects, generated batch by batch. */
function* objectBatches() {
  for (let start = 0; start < COPY_ROWS; start += BATCH) {
    yield Array.from({ length: Math.min(BATCH, COPY_ROWS - start) }, (_, i) => userRow(start + i));
  }
}

/** The rows as a described source's positional batches of canonical values, generated batch by batch. */
const laneSource = () =>
  positionalStream(
    async () => DESCRIBED,
    async function* () {
      for (let start = 0; start < COPY_ROWS; start += BATCH) {
        yield Array.from({ length: Math.min(BATCH, COPY_ROWS - start) }, (_, i) => canonicalAt(start + i));
      }
    },
  );

const uptime = () => spawnSync('uptime', { encoding: 'utf8' }).stdout.trim();
console.log(`before: ${uptime()}`);
const service = await startSupabaseTestService({});
const psql = (command: string) => {
  const result = spawnSync('psql', [service.dbUrl, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-c', command], {
    encoding: 'utf8',
  });
  if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
};
const connect = (extra: Record<string, unknown>) =>
  supabaseConnector.connect(
    supabaseConnector.configSchema.parse({
      url: service.url,
      key: service.serviceRoleKey,
      schema: service.schema,
      ...extra,
    }),
    { reference: '@supabase.bench', alias: 'bench' },
  );
const rest = await connect({});
const direct = await connect({ db_url: service.dbUrl });
const csv = join(tmpdir(), `osiris-copy-append-${process.pid}.csv`);

let table = 0;
/** A fresh empty table the API already shows. */
async function freshTable(): Promise<string> {
  const name = `bench_append_${++table}`;
  await service.sql(`CREATE TABLE ${name} (${COLUMNS})`);
  await service.reloadSchema();
  return name;
}

/** Best wall time of ROUNDS runs of `write` into a fresh table each (with that run's CPU), and the table. */
async function best(write: (table: string) => Promise<WriteResult | undefined>) {
  let fastest: Timed<WriteResult | undefined> | undefined;
  let into = '';
  for (let round = 0; round < ROUNDS; round++) {
    into = await freshTable();
    const run = await time(service, () => write(into));
    if (fastest === undefined || run.ms < fastest.ms) fastest = run;
  }
  const { rows } = await service.sql<{ n: string }>(`SELECT count(*) AS n FROM ${into}`);
  if (Number(rows[0]!.n) !== COPY_ROWS) throw new Error(`${into} holds ${rows[0]!.n} rows, not ${COPY_ROWS}`);
  return { ...fastest!, result: fastest!.value, table: into };
}

/** CPU seconds of every process of a run together. */
const cpuTotal = ({ cpu }: Timed) => cpu.node + cpu.postgrest + cpu.postgres;

try {
  const loads = [loadavg()[0]!];
  // A B B A: load that drifts during the run weighs on both paths alike.
  const objectsRest = await best((t) => rest.write({ table: t, rows: objectBatches() }));
  const objectsCopy = await best((t) => direct.write({ table: t, rows: objectBatches() }));
  loads.push(loadavg()[0]!);
  const laneCopy = await best((t) => direct.write({ table: t, rows: laneSource() }));
  const laneRest = await best((t) => rest.write({ table: t, rows: laneSource() }));
  loads.push(loadavg()[0]!);
  psql(`\\copy ${objectsCopy.table} to '${csv}' csv`);
  const floor = await best(async (t) => {
    psql(`\\copy ${t} from '${csv}' csv`);
    return undefined;
  });
  loads.push(loadavg()[0]!);
  const digest = async (t: string) =>
    (await service.sql<{ d: string }>(`SELECT md5(string_agg(t::text, ',' ORDER BY id)) AS d FROM ${t} t`))
      .rows[0]!.d;
  const digests = new Set<string>();
  // One admin client: the digests one after the other.
  for (const run of [objectsRest, objectsCopy, laneRest, laneCopy, floor])
    digests.add(await digest(run.table));
  const same = digests;
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  console.log(
    `\nSupabase append of ${COPY_ROWS.toLocaleString('en')} rows × 10 columns, best of ${ROUNDS}; every table identical: ${same.size === 1}`,
  );
  const row = (label: string, run: Timed<WriteResult | undefined>, baseline?: Timed) => [
    label,
    s(run.ms),
    run.value?.method ?? '',
    baseline === undefined ? 'baseline' : `${(baseline.ms / run.ms).toFixed(2)}× faster`,
    `${cpuTotal(run).toFixed(1)} (node ${run.cpu.node.toFixed(1)}, postgrest ${run.cpu.postgrest.toFixed(1)}, postgres ${run.cpu.postgres.toFixed(1)})`,
    baseline === undefined ? '' : `${(cpuTotal(baseline) / cpuTotal(run)).toFixed(2)}× less`,
  ];
  console.table([
    ['', 'wall', 'method', 'wall ratio', 'CPU s (all processes)', 'CPU ratio'],
    row('REST at defaults, row objects', objectsRest),
    row('db_url (COPY), row objects', objectsCopy, objectsRest),
    row('REST at defaults, fast lane', laneRest),
    row('db_url (COPY), fast lane', laneCopy, laneRest),
    // psql's backend comes and goes within the run: its CPU is not seen.
    [...row('psql \\copy from CSV', floor, laneCopy).slice(0, 4), '—', ''],
  ]);
  console.log(`load average (1 min) during the run: ${loads.map((l) => l.toFixed(2)).join(' → ')}`);
  if (same.size !== 1) process.exitCode = 1;
} finally {
  rmSync(csv, { force: true });
  await Promise.all([rest.close(), direct.close()]);
  await service.stop();
  console.log(`after: ${uptime()}`);
}
