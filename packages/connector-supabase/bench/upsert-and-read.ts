/**
 * Benchmark (not a test): 100,000 rows of 10 mixed columns through a real PostgREST 12.
 *   write: the connector's upsert vs the loop a user would write (supabase-js insert, sequential 500-row batches)
 *   read:  the connector's paged read vs `psql \copy` of the same table
 * Run: pnpm --filter @osiris/connector-supabase bench   (ROWS=… to change the size)
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import { startSupabaseTestService } from '@osiris/test-services';
import { createClient } from '@supabase/supabase-js';
import { supabaseConnector } from '../src/index.js';

const ROWS = Number(process.env.ROWS ?? 100_000);

const COLUMNS = `id bigint PRIMARY KEY, name text NOT NULL, email text, score double precision, qty integer,
  active boolean, created_at timestamptz, amount numeric(12,2), tags jsonb, note text`;

function makeRows(count: number) {
  return Array.from({ length: count }, (_, i) => ({
    id: i + 1,
    name: `customer ${i + 1}`,
    email: `c${i + 1}@example.com`,
    score: (i % 1000) / 7,
    qty: i % 97,
    active: i % 3 !== 0,
    created_at: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
    amount: ((i * 37) % 100_000) / 100,
    tags: { tier: i % 5, labels: ['a', 'b'] },
    note: i % 10 === 0 ? null : 'lorem ipsum dolor sit amet',
  }));
}

/** CPU seconds used so far by the live processes whose command name matches (from /proc). */
function cpuOf(name: RegExp): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc').filter((entry) => /^\d+$/.test(entry))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      if (!name.test(stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')))) continue;
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {}
  }
  return ticks / 100;
}

interface Timed<T> {
  ms: number;
  value: T;
  /** CPU seconds spent meanwhile by this Node process (client and the test's /rest/v1 proxy), PostgREST, Postgres. */
  cpu: { node: number; postgrest: number; postgres: number };
}

async function time<T>(run: () => Promise<T>): Promise<Timed<T>> {
  const node = process.cpuUsage();
  const postgrest = cpuOf(/^postgrest/);
  const postgres = cpuOf(/^postgres$/);
  const started = performance.now();
  const value = await run();
  const ms = performance.now() - started;
  const used = process.cpuUsage(node);
  return {
    ms,
    value,
    cpu: {
      node: (used.user + used.system) / 1e6,
      postgrest: cpuOf(/^postgrest/) - postgrest,
      postgres: cpuOf(/^postgres$/) - postgres,
    },
  };
}

const service = await startSupabaseTestService();
try {
  for (const table of ['warmup', 'baseline', 'connector', 'tuned'])
    await service.sql(`CREATE TABLE ${table} (${COLUMNS})`);
  await service.reloadSchema();
  const rows = makeRows(ROWS);
  const batches = Array.from({ length: Math.ceil(ROWS / 1000) }, (_, i) =>
    rows.slice(i * 1000, (i + 1) * 1000),
  );

  // What a user writes: createClient (on Node 20 it needs a realtime transport; a stub does) and a loop.
  class NoRealtime {}
  const plain = createClient(service.url, service.serviceRoleKey, {
    auth: { persistSession: false, autoRefreshToken: false },
    realtime: { transport: NoRealtime as never },
  });
  const open = (extra: Record<string, unknown> = {}) =>
    supabaseConnector.connect(
      supabaseConnector.configSchema.parse({ url: service.url, key: service.serviceRoleKey, ...extra }),
      { reference: '@supabase.bench', alias: 'bench' },
    );
  const connection = await open();
  const tunedConnection = await open({ batch_size: 1000, concurrency: 4 });

  // Warm up both paths (JIT, pooled connections, caches) before timing anything.
  await plain.from('warmup').insert(rows.slice(0, 2000));
  await connection.write({ table: 'warmup', rows: [rows.slice(2000, 4000)], mode: 'upsert' });

  const baseline = await time(async () => {
    for (let i = 0; i < ROWS; i += 500) {
      const { error } = await plain.from('baseline').insert(rows.slice(i, i + 500));
      if (error) throw new Error(error.message);
    }
  });
  const upsert = await time(() => connection.write({ table: 'connector', rows: batches, mode: 'upsert' }));
  const again = await time(() => connection.write({ table: 'connector', rows: batches, mode: 'upsert' }));
  const tuned = await time(() => tunedConnection.write({ table: 'tuned', rows: batches, mode: 'upsert' }));

  const read = await time(async () => {
    let n = 0;
    for await (const batch of connection.read({ table: 'connector' })) n += batch.length;
    return n;
  });
  if (read.value !== ROWS) throw new Error(`read ${read.value} rows, expected ${ROWS}`);

  // Where a read's time goes: the same keyset requests, bodies fetched as text, parse timed apart.
  const raw = await time(async () => {
    let last = 0;
    let bytes = 0;
    let parseMs = 0;
    for (;;) {
      const response = await fetch(
        `${service.url}/rest/v1/connector?select=*&order=id.asc&id=gt.${last}&limit=1000`,
        {
          headers: { apikey: service.serviceRoleKey, authorization: `Bearer ${service.serviceRoleKey}` },
        },
      );
      const text = await response.text();
      bytes += text.length;
      const started = performance.now();
      const page = JSON.parse(text) as { id: number }[];
      parseMs += performance.now() - started;
      if (page.length === 0) return { bytes, parseMs };
      last = page[page.length - 1]!.id;
    }
  });

  const psql = await time(async () => {
    const copy = `\\copy (SELECT * FROM connector) TO '/dev/null' WITH (FORMAT csv)`;
    const result = spawnSync('psql', [service.dbUrl, '-X', '-q', '-c', copy], { encoding: 'utf8' });
    if (result.status !== 0) throw new Error(`psql failed: ${result.stderr}`);
  });
  await Promise.all([connection.close(), tunedConnection.close()]);

  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`;
  const rate = (ms: number) => `${Math.round(ROWS / (ms / 1000)).toLocaleString('en')} rows/s`;
  const cpu = ({ cpu: c }: Timed<unknown>) =>
    `${c.node.toFixed(1)} / ${c.postgrest.toFixed(1)} / ${c.postgres.toFixed(1)}`;
  const faster = (t: Timed<unknown>) => `${(baseline.ms / t.ms).toFixed(2)}× faster`;
  const rawMs = raw.ms - raw.value.parseMs;
  const table = [
    ['', 'time', 'rate', 'ratio', 'CPU s: node / postgrest / postgres'],
    [
      'supabase-js insert, sequential 500-row batches',
      s(baseline.ms),
      rate(baseline.ms),
      'baseline',
      cpu(baseline),
    ],
    [
      'connector upsert, defaults (500 rows, 2 in flight)',
      s(upsert.ms),
      rate(upsert.ms),
      faster(upsert),
      cpu(upsert),
    ],
    ['connector upsert again (every row an update)', s(again.ms), rate(again.ms), faster(again), cpu(again)],
    [
      'connector upsert, batch_size 1000, concurrency 4',
      s(tuned.ms),
      rate(tuned.ms),
      faster(tuned),
      cpu(tuned),
    ],
    ['psql \\copy of the table to CSV', s(psql.ms), rate(psql.ms), 'baseline', cpu(psql)],
    [
      'connector read (keyset pages of 1,000)',
      s(read.ms),
      rate(read.ms),
      `${(read.ms / psql.ms).toFixed(2)}× slower`,
      cpu(read),
    ],
    [
      '  the same requests, bodies as text',
      s(rawMs),
      '',
      `${((rawMs / read.ms) * 100).toFixed(0)}% of the read`,
      cpu(raw),
    ],
    [
      '  JSON.parse of those bodies',
      s(raw.value.parseMs),
      '',
      `${((raw.value.parseMs / read.ms) * 100).toFixed(0)}% of the read`,
      '',
    ],
  ];
  console.log(
    `\n${ROWS.toLocaleString('en')} rows × 10 columns through PostgREST 12.0.2 on this machine; ` +
      `${(raw.value.bytes / 1e6).toFixed(1)} MB of JSON per full read; load average ${(await import('node:os')).loadavg()[0]!.toFixed(1)}\n`,
  );
  const widths = table[0]!.map((_, c) => Math.max(...table.map((row) => row[c]!.length)));
  for (const row of table) console.log(row.map((cell, c) => cell.padEnd(widths[c]!)).join('  '));
} finally {
  await service.stop();
}
