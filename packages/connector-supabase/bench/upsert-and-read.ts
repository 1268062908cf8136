/**
 * Benchmark (not a test): 100,000 rows of 10 mixed columns through a real PostgREST 12.
 *   write: the connector's upsert and append — from row objects and from a source offering the fast lane
 *          (positional batches of described, canonical values, as another connector's read) — vs the loop a
 *          user would write (supabase-js insert, sequential 500-row batches); on loopback, and with
 *          LATENCY_MS added per request as to a hosted project
 *   read:  the connector's paged read vs `psql \copy` of the same table (loopback)
 * Run: pnpm --filter @osiris/connector-supabase bench   (ROWS=…, ROUNDS=…, LATENCY_MS=… to change it)
 */
import { spawnSync } from 'node:child_process';
import { loadavg } from 'node:os';
import type { WriteResult } from '@osiris/core';
import { type SupabaseTestService, startSupabaseTestService } from '@osiris/test-services';
import { createClient } from '@supabase/supabase-js';
import { type SupabaseConnection, supabaseConnector } from '../src/index.js';
import { type Timed, time } from './measure.js';
import { COLUMNS, laneSource, ROWS, rows, source } from './rows.js';

const ROUNDS = Number(process.env.ROUNDS ?? 2);
const LATENCY_MS = Number(process.env.LATENCY_MS ?? 20);

const best = <T>(a: Timed<T> | undefined, b: Timed<T>) => (a === undefined || b.ms < a.ms ? b : a);

function open(
  service: SupabaseTestService,
  extra: Record<string, unknown> = {},
): Promise<SupabaseConnection> {
  const config = supabaseConnector.configSchema.parse({
    url: service.url,
    key: service.serviceRoleKey,
    ...extra,
  });
  return supabaseConnector.connect(config, { reference: '@supabase.bench', alias: 'bench' });
}

/** The write comparison against one API; each contender writes into an empty table, best of ROUNDS. */
async function writes(service: SupabaseTestService) {
  for (const table of ['warmup', 'baseline', 'connector', 'tuned', 'appended', 'lane', 'lane_appended'])
    await service.sql(`CREATE TABLE ${table} (${COLUMNS})`);
  await service.reloadSchema();
  // What a user writes: createClient (on Node 20 it needs a realtime transport; a stub does) and a loop.
  class NoRealtime {}
  const plain = createClient(service.url, service.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: NoRealtime as never },
  });
  const connection = await open(service);
  const tunedConnection = await open(service, { batch_size: 1000, concurrency: 4 });
  // Warm up both paths (JIT, pooled connections, caches) before timing anything.
  await plain.from('warmup').insert(rows.slice(0, 2000));
  await connection.write({ table: 'warmup', rows: [rows.slice(2000, 4000)], mode: 'upsert' });
  await connection.write({ table: 'warmup', rows: laneSource(), mode: 'upsert' });

  let baseline: Timed | undefined;
  let upsert: Timed | undefined;
  let tuned: Timed | undefined;
  let append: Timed | undefined;
  let lane: Timed<WriteResult> | undefined;
  let laneAppend: Timed<WriteResult> | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    await service.sql('TRUNCATE baseline, connector, tuned, appended, lane, lane_appended');
    const loop = async () => {
      for (let i = 0; i < ROWS; i += 500) {
        const { error } = await plain.from('baseline').insert(rows.slice(i, i + 500));
        if (error) throw new Error(error.message);
      }
    };
    baseline = best(baseline, await time(service, loop));
    upsert = best(
      upsert,
      await time(service, () => connection.write({ table: 'connector', rows: source, mode: 'upsert' })),
    );
    tuned = best(
      tuned,
      await time(service, () => tunedConnection.write({ table: 'tuned', rows: source, mode: 'upsert' })),
    );
    append = best(append, await time(service, () => connection.write({ table: 'appended', rows: source })));
    lane = best(
      lane,
      await time(service, () => connection.write({ table: 'lane', rows: laneSource(), mode: 'upsert' })),
    );
    laneAppend = best(
      laneAppend,
      await time(service, () => connection.write({ table: 'lane_appended', rows: laneSource() })),
    );
  }
  if (!lane!.value.fastLane || !laneAppend!.value.fastLane)
    throw new Error('the positional source took no fast lane');
  // The same rows: every table the connector wrote holds the same text.
  const digest = async (table: string) =>
    (
      await service.sql<{ md5: string }>(
        `SELECT md5(string_agg(row_to_json(r)::text, '' ORDER BY id)) AS md5 FROM ${table} r`,
      )
    ).rows[0]!.md5;
  const digests = new Set(await Promise.all(['connector', 'appended', 'lane', 'lane_appended'].map(digest)));
  if (digests.size !== 1) throw new Error('the fast lane and the row objects wrote different tables');
  const again = await time(service, () =>
    connection.write({ table: 'connector', rows: source, mode: 'upsert' }),
  );
  await Promise.all([connection.close(), tunedConnection.close()]);
  return {
    baseline: baseline!,
    upsert: upsert!,
    tuned: tuned!,
    append: append!,
    again,
    lane: lane!,
    laneAppend: laneAppend!,
  };
}

/** The read comparison, best of ROUNDS: the connector's keyset pages, the same requests by hand, psql \copy. */
async function reads(service: SupabaseTestService) {
  const connection = await open(service);
  const headers = { apikey: service.serviceRoleKey, authorization: `Bearer ${service.serviceRoleKey}` };
  const readAll = async () => {
    let n = 0;
    for await (const batch of connection.read({ table: 'connector' })) n += batch.length;
    if (n !== ROWS) throw new Error(`read ${n} rows, expected ${ROWS}`);
  };
  // The connector's requests without the connector: bodies as text, JSON.parse timed apart.
  const byHand = async () => {
    let last = 0;
    let bytes = 0;
    let parseMs = 0;
    for (;;) {
      const url = `${service.url}/rest/v1/connector?select=*&order=id.asc&id=gt.${last}&limit=1000`;
      const text = await (await fetch(url, { headers })).text();
      bytes += text.length;
      const started = performance.now();
      const page = JSON.parse(text) as { id: number }[];
      parseMs += performance.now() - started;
      if (page.length === 0) return { bytes, parseMs };
      last = page[page.length - 1]!.id;
    }
  };
  const copy = async () => {
    const command = `\\copy (SELECT * FROM connector) TO '/dev/null' WITH (FORMAT csv)`;
    const result = spawnSync('psql', [service.dbUrl, '-X', '-q', '-c', command], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
  };
  let read: Timed | undefined;
  let raw: Timed<{ bytes: number; parseMs: number }> | undefined;
  let psql: Timed | undefined;
  for (let round = 0; round < ROUNDS; round++) {
    read = best(read, await time(service, readAll));
    raw = best(raw, await time(service, byHand));
    psql = best(psql, await time(service, copy));
  }
  await connection.close();
  return { read: read!, raw: raw!, psql: psql! };
}

async function withService<T>(
  latencyMs: number,
  run: (service: SupabaseTestService) => Promise<T>,
): Promise<T> {
  const service = await startSupabaseTestService({ latencyMs });
  try {
    return await run(service);
  } finally {
    await service.stop();
  }
}

const load = [loadavg()[0]!];
const local = await withService(0, async (service) => ({
  ...(await writes(service)),
  ...(await reads(service)),
}));
load.push(loadavg()[0]!);
const remote = await withService(LATENCY_MS, writes);
load.push(loadavg()[0]!);

const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
const rate = (ms: number) => `${Math.round(ROWS / (ms / 1000)).toLocaleString('en')} rows/s`;
const cpu = ({ cpu: c }: Timed) =>
  `${c.node.toFixed(1)} / ${c.postgrest.toFixed(1)} / ${c.postgres.toFixed(1)}`;
const writeRows = (w: typeof remote, label: string) => {
  const faster = (t: Timed) => `${(w.baseline.ms / t.ms).toFixed(2)}× faster`;
  return [
    [
      `${label}: supabase-js insert, sequential 500-row batches`,
      s(w.baseline.ms),
      rate(w.baseline.ms),
      'baseline',
      cpu(w.baseline),
    ],
    [
      `${label}: connector upsert, defaults (500 rows, 2 in flight)`,
      s(w.upsert.ms),
      rate(w.upsert.ms),
      faster(w.upsert),
      cpu(w.upsert),
    ],
    [
      `${label}: connector upsert, batch_size 1000, concurrency 4`,
      s(w.tuned.ms),
      rate(w.tuned.ms),
      faster(w.tuned),
      cpu(w.tuned),
    ],
    [
      `${label}: connector append (insert), defaults`,
      s(w.append.ms),
      rate(w.append.ms),
      faster(w.append),
      cpu(w.append),
    ],
    [
      `${label}: connector upsert, fast lane (positional source)`,
      s(w.lane.ms),
      rate(w.lane.ms),
      `${faster(w.lane)}; ${(w.upsert.ms / w.lane.ms).toFixed(2)}× objects`,
      cpu(w.lane),
    ],
    [
      `${label}: connector append, fast lane (positional source)`,
      s(w.laneAppend.ms),
      rate(w.laneAppend.ms),
      `${faster(w.laneAppend)}; ${(w.append.ms / w.laneAppend.ms).toFixed(2)}× objects`,
      cpu(w.laneAppend),
    ],
    [
      `${label}: connector upsert again (every row an update)`,
      s(w.again.ms),
      rate(w.again.ms),
      faster(w.again),
      cpu(w.again),
    ],
  ];
};
const rawMs = local.raw.ms - local.raw.value.parseMs;
const share = (ms: number) => `${((ms / local.read.ms) * 100).toFixed(0)}% of the read`;
const table = [
  ['', 'time', 'rate', 'ratio', 'CPU s: node / postgrest / postgres'],
  ...writeRows(local, 'loopback'),
  ...writeRows(remote, `+${LATENCY_MS} ms per request`),
  ['psql \\copy of the table to CSV', s(local.psql.ms), rate(local.psql.ms), 'baseline', '(its own backend)'],
  [
    'connector read (keyset pages of 1,000)',
    s(local.read.ms),
    rate(local.read.ms),
    `${(local.read.ms / local.psql.ms).toFixed(2)}× slower`,
    cpu(local.read),
  ],
  ['  the same requests, bodies as text', s(rawMs), '', share(rawMs), cpu(local.raw)],
  ['  JSON.parse of those bodies', s(local.raw.value.parseMs), '', share(local.raw.value.parseMs), ''],
];
console.log(
  `\n${ROWS.toLocaleString('en')} rows × 10 columns, PostgREST 12.0.2 and PostgreSQL on this machine (best of ${ROUNDS}); ` +
    `${(local.raw.value.bytes / 1e6).toFixed(1)} MB of JSON per full read; load average ${load.map((l) => l.toFixed(1)).join(' → ')}\n`,
);
const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
for (const row of table) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
