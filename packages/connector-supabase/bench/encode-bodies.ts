/**
 * Benchmark (not a test): the client's share of a write — every request body of 100,000 rows built, from row
 * objects and from a fast-lane source, with no server (the upsert benchmark's wall times are mostly PostgREST
 * and Postgres on the same cores). Alternating, median of ROUNDS.
 * Run: pnpm --filter @osiris/connector-supabase bench   (ROWS=…, ROUNDS=… to change it)
 */
import { loadavg } from 'node:os';
import { type RowSource, sinkInput } from '@osiris/core';
import { body, requestBatches } from '../src/batches.js';
import { logicalTypeOf } from '../src/postgres-types.js';
import { rowEncoder } from '../src/row-encoder.js';
import { keepRowObjects } from '../src/row-objects.js';
import type { TableInfo } from '../src/table-info.js';
import { laneSource, ROWS, source, TABLE } from './rows.js';

const ROUNDS = Number(process.env.ROUNDS ?? 5);

/** The bench table as the connector introspects it. */
const table: TableInfo = {
  name: 'bench',
  kind: 'table',
  primaryKey: ['id'],
  columns: TABLE.map(([name, type, constraint]) => ({
    name,
    type,
    logicalType: logicalTypeOf(type),
    nullable: constraint === undefined,
    primaryKey: constraint === 'PRIMARY KEY',
  })),
};

/** Builds every request body of a write of `rows` (as write() does, less the requests); returns their bytes. */
async function bodies(rows: RowSource): Promise<number> {
  const objects = keepRowObjects({ rows });
  const input = await sinkInput(objects.request);
  try {
    const encode = rowEncoder(table, input.columns);
    let bytes = 0;
    const batches = requestBatches(input.batches, 500, 1 << 20, (values, before) =>
      encode(values, input.fastLane ? undefined : objects.next(), before),
    );
    for await (const batch of batches) bytes += Buffer.byteLength(body(batch));
    return bytes;
  } finally {
    await input.close();
  }
}

async function timed(rows: RowSource) {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const bytes = await bodies(rows);
  const used = process.cpuUsage(cpu);
  return { ms: performance.now() - started, cpu: (used.user + used.system) / 1e6, bytes };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const load = [loadavg()[0]!];
await bodies(source);
await bodies(laneSource());
const objectRuns: Awaited<ReturnType<typeof timed>>[] = [];
const laneRuns: Awaited<ReturnType<typeof timed>>[] = [];
for (let round = 0; round < ROUNDS; round++) {
  objectRuns.push(await timed(source));
  laneRuns.push(await timed(laneSource()));
}
load.push(loadavg()[0]!);
if (objectRuns[0]!.bytes !== laneRuns[0]!.bytes) throw new Error('the two sources gave different bodies');
const objects = median(objectRuns.map((run) => run.ms));
const lane = median(laneRuns.map((run) => run.ms));
console.log(
  `\nrequest bodies of ${ROWS.toLocaleString('en')} rows × 10 columns (${(objectRuns[0]!.bytes / 1e6).toFixed(1)} MB), ` +
    `median of ${ROUNDS}, load average ${load.map((l) => l.toFixed(1)).join(' → ')}`,
);
console.log(
  `  from row objects          ${objects.toFixed(0)} ms  (CPU ${median(objectRuns.map((r) => r.cpu)).toFixed(2)} s)`,
);
console.log(
  `  from the fast lane        ${lane.toFixed(0)} ms  (CPU ${median(laneRuns.map((r) => r.cpu)).toFixed(2)} s)  ${(objects / lane).toFixed(2)}× faster`,
);
