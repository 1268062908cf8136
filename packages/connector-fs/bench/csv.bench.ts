/**
 * CSV throughput and memory: @osiris/connector-fs against csv-stringify / csv-parse used directly with
 * the same options, on the same rows (10 mixed columns). Each measurement runs in its own process so
 * that its peak RSS is its own, `--runs` times, taking turns. A row reports the best run by wall-clock
 * time and by CPU time (user + system of the process), and the median peak RSS.
 * Run: `pnpm --filter @osiris/connector-fs bench [-- --rows N --large N --runs N]`.
 *
 * The connector's write checks every value against its column's type (inferred from the first batch) and
 * writes the Table Schema beside the file; its read goes through that descriptor, so its rows are typed
 * (bigints, numbers, booleans, canonical timestamps) where csv-parse's are strings. The read is measured
 * both ways a caller takes it: through the fast lane (`positional()`, what a sink's write consumes: arrays in
 * column order) against csv-parse producing arrays, and as row objects (user code iterating `read()`)
 * against csv-parse producing objects (`columns: true`).
 *
 * Targets: write ≥ 1.0× csv-stringify, read through the lane ≥ 1.0× csv-parse's arrays, and peak RSS at
 * `--large` rows within 10% of that at `--rows` (streaming, not buffering). The throughput targets are
 * judged on CPU time, which on a shared machine counts the work done where wall-clock time also counts the
 * wait for a core; both ratios are printed. Exits 1 when a target is missed.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { fsConnector } from '@osiris/connector-fs';
import type { ColumnInfo, Row, RowBatchStream } from '@osiris/core';
import { measureInChild } from '@osiris/test-services/measure-in-child';
import { parse } from 'csv-parse';
import { stringify } from 'csv-stringify';

const BATCH = 1_000;
const DATA_DIR = join(import.meta.dirname, '..', '.bench-data');

/** One measurement, as a child reports it. */
interface Measurement {
  rows: number;
  bytes: number;
  /** Wall-clock time. */
  ms: number;
  /** CPU time of the process (user + system, all threads). */
  cpuMs: number;
  peakRssBytes: number;
}

type Scenario =
  | 'write-osiris'
  | 'write-osiris-lane'
  | 'write-osiris-jsonl'
  | 'write-osiris-jsonl-lane'
  | 'write-stringify'
  | 'read-osiris-lane'
  | 'read-parse-arrays'
  | 'read-osiris-objects'
  | 'read-parse-objects';

// ---------------------------------------------------------------------------------------------------------
// The rows: deterministic, cheap to make, every kind of value a database hands over.

const CATEGORIES = ['books', 'garden, outdoor', 'toys'];
const START = Date.UTC(2024, 0, 1);

function row(i: number): Row {
  return {
    id: i,
    sku: ((i * 2654435761) % 4294967296).toString(16).padStart(8, '0'),
    name: i % 50 === 0 ? `Item "${i}", special` : i % 77 === 0 ? ` padded ${i} ` : `Item ${i}`,
    amount: Math.round(((i * 7919) % 1_000_000) + i / 7) / 100,
    quantity: i % 1000,
    active: i % 3 !== 0,
    created_at: new Date(START + i * 1000),
    big_total: BigInt(i) * 1_000_000_000_007n, // within integer(64) up to 9 million rows
    category: CATEGORIES[i % 3],
    note: i % 4 === 0 ? null : i % 101 === 0 ? `line one\nline two ${i}` : `note ${i % 997}`,
  };
}

function* batches(count: number): Generator<Row[]> {
  for (let start = 0; start < count; start += BATCH) {
    const batch: Row[] = [];
    for (let i = start; i < Math.min(count, start + BATCH); i++) batch.push(row(i));
    yield batch;
  }
}

/** The same rows as another connector's read offers them to a sink: positional, canonical, typed once. */
const LANE_COLUMNS: ColumnInfo[] = [
  { name: 'active', type: { kind: 'boolean' } },
  { name: 'amount', type: { kind: 'float', bits: 64 } },
  { name: 'big_total', type: { kind: 'integer', bits: 64, unsigned: false } },
  { name: 'category', type: { kind: 'string' } },
  { name: 'created_at', type: { kind: 'timestamp', precision: 3 } },
  { name: 'id', type: { kind: 'integer', bits: 64, unsigned: false } },
  { name: 'name', type: { kind: 'string' } },
  { name: 'note', type: { kind: 'string' } },
  { name: 'quantity', type: { kind: 'integer', bits: 64, unsigned: false } },
  { name: 'sku', type: { kind: 'string' } },
];

function laneSource(count: number): RowBatchStream {
  return {
    columns: async () => LANE_COLUMNS,
    async *positional() {
      for (const batch of batches(count)) {
        yield batch.map((r) => [
          r.active as boolean,
          r.amount as number,
          r.big_total as bigint,
          r.category as string,
          (r.created_at as Date).toISOString(),
          BigInt(r.id as number),
          r.name as string,
          r.note as string | null,
          BigInt(r.quantity as number),
          r.sku as string,
        ]);
      }
    },
    async *[Symbol.asyncIterator]() {
      yield* batches(count);
    },
  };
}

function* rowsOf(count: number): Generator<Row> {
  for (const batch of batches(count)) yield* batch;
}

// ---------------------------------------------------------------------------------------------------------
// The four measurements, each run in a child process.

/** The CSV file a read takes and a write makes; the other writes' files are their own (`writeFileOf`). */
const fileFor = (scenario: Scenario, rows: number) =>
  join(DATA_DIR, `${scenario.startsWith('write-stringify') ? 'stringify' : 'osiris'}-${rows}.csv`);

/** The writes measured for memory only, at both sizes: each one's own file (name under DATA_DIR). */
const OTHER_WRITES: Partial<Record<Scenario, (rows: number) => string>> = {
  'write-osiris-lane': (rows) => `osiris-lane-${rows}.csv`,
  'write-osiris-jsonl': (rows) => `osiris-${rows}.jsonl`,
  'write-osiris-jsonl-lane': (rows) => `osiris-lane-${rows}.jsonl`,
};

async function measure(scenario: Scenario, rows: number): Promise<Measurement> {
  const file = fileFor(scenario, rows);
  const started = performance.now();
  const cpu = process.cpuUsage();
  let count = rows;
  const other = OTHER_WRITES[scenario];
  if (scenario === 'write-osiris' || other !== undefined) {
    const connection = await fsConnector.connect(fsConnector.configSchema.parse({ base_dir: DATA_DIR }), {
      reference: '@filesystem.bench',
      alias: 'bench',
    });
    const lane = scenario.endsWith('-lane');
    await connection.write({
      path: other?.(rows) ?? `osiris-${rows}.csv`,
      rows: lane ? laneSource(rows) : batches(rows),
    });
    if (other !== undefined) {
      const bytes = (await stat(join(DATA_DIR, other(rows)))).size;
      await rm(join(DATA_DIR, other(rows)));
      await rm(join(DATA_DIR, `${other(rows)}.schema.json`));
      const { user, system } = process.cpuUsage(cpu);
      const ms = performance.now() - started;
      const peakRssBytes = process.resourceUsage().maxRSS * 1024;
      return { rows, bytes, ms, cpuMs: (user + system) / 1000, peakRssBytes };
    }
  } else if (scenario === 'write-stringify') {
    const stringifier = stringify({
      header: true,
      columns: Object.keys(row(0)).sort(),
      record_delimiter: 'unix',
      // The connector's rules, spelled in csv-stringify's options.
      quoted_match: /^[ \t]|[ \t]$/,
      cast: {
        boolean: (value) => (value ? 'true' : 'false'),
        // A Date is a timestamp(3): its canonical text, milliseconds kept.
        date: (value) => value.toISOString(),
        bigint: (value) => `${value}`,
      },
    });
    await pipeline(Readable.from(rowsOf(rows)), stringifier, createWriteStream(file));
  } else if (scenario.startsWith('read-osiris')) {
    const connection = await fsConnector.connect(fsConnector.configSchema.parse({ base_dir: DATA_DIR }), {
      reference: '@filesystem.bench',
      alias: 'bench',
    });
    count = 0;
    const stream = connection.read({ path: `osiris-${rows}.csv`, batchSize: BATCH });
    // The lane is what a sink's write() takes (core's sinkInput asks for it); iterating gives row objects.
    const batches = scenario === 'read-osiris-lane' ? stream.positional() : stream;
    for await (const batch of batches) count += batch.length;
  } else {
    count = 0;
    const parser = createReadStream(file).pipe(
      parse({
        columns: scenario === 'read-parse-objects',
        from_line: scenario === 'read-parse-arrays' ? 2 : 1,
        bom: true,
      }),
    );
    for await (const _ of parser) count++;
  }
  const ms = performance.now() - started;
  const { user, system } = process.cpuUsage(cpu);
  return {
    rows: count,
    bytes: (await stat(file)).size,
    ms,
    cpuMs: (user + system) / 1000,
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
}

// ---------------------------------------------------------------------------------------------------------
// The parent: runs each measurement in its own process and prints the comparison.

function inChild(scenario: Scenario, rows: number): Promise<Measurement> {
  return measureInChild([
    ...process.execArgv,
    import.meta.filename,
    '--child',
    scenario,
    '--rows',
    String(rows),
  ]);
}

async function sha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

const number = (value: number, digits = 0) =>
  value.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mib = (bytes: number) => bytes / 1024 / 1024;

function line(operation: string, tool: string, m: Measurement): string {
  const seconds = m.ms / 1000;
  return [
    operation.padEnd(6),
    tool.padEnd(22),
    number(m.rows / seconds).padStart(10),
    number(mib(m.bytes) / seconds, 1).padStart(7),
    number(m.rows / (m.cpuMs / 1000)).padStart(13),
    `${number(mib(m.peakRssBytes), 0)} MiB`.padStart(9),
    `${number(seconds, 2)} s`.padStart(8),
  ].join('  ');
}

const HEADER = [
  'op'.padEnd(6),
  'tool'.padEnd(22),
  'rows/s'.padStart(10),
  'MB/s'.padStart(7),
  'rows/CPU-s'.padStart(13),
  'peak RSS'.padStart(9),
  'wall'.padStart(8),
].join('  ');

/** The best run by wall-clock time and by CPU time, with the median of the peak RSS. */
function summary(runs: Measurement[]): Measurement {
  const fastest = runs.reduce((best, run) => (run.ms < best.ms ? run : best));
  const cpuMs = Math.min(...runs.map((run) => run.cpuMs));
  const peaks = runs.map((run) => run.peakRssBytes).sort((a, b) => a - b);
  return { ...fastest, cpuMs, peakRssBytes: peaks[Math.floor(peaks.length / 2)]! };
}

/** Runs each scenario `runs` times, taking turns, and summarises each. */
async function compare(scenarios: Scenario[], rows: number, runs: number): Promise<Measurement[]> {
  const results: Measurement[][] = scenarios.map(() => []);
  for (let run = 0; run < runs; run++) {
    for (const [i, scenario] of scenarios.entries()) results[i]!.push(await inChild(scenario, rows));
  }
  return results.map(summary);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      large: { type: 'string' },
      runs: { type: 'string' },
      child: { type: 'string' },
    },
  });
  const rows = Number(values.rows ?? 1_000_000);
  if (values.child !== undefined) {
    process.stdout.write(JSON.stringify(await measure(values.child as Scenario, rows)));
    return;
  }
  const large = Number(values.large ?? 5_000_000);
  const runs = Number(values.runs ?? 3);
  await mkdir(DATA_DIR, { recursive: true });
  try {
    console.log(
      `CSV benchmark, Node ${process.version}, ${os.cpus().length} CPUs, load average ${os.loadavg()[0]!.toFixed(1)}: ` +
        `${number(rows)} rows × 10 mixed columns; each run in its own process, best of ${runs} runs (peak RSS: median)`,
    );
    const [osirisWrite, stringifyWrite] = await compare(['write-osiris', 'write-stringify'], rows, runs);
    const identical =
      (await sha256(fileFor('write-osiris', rows))) === (await sha256(fileFor('write-stringify', rows)));
    await rm(fileFor('write-stringify', rows));
    const [laneRead, arraysRead, objectsRead, parseRead] = await compare(
      ['read-osiris-lane', 'read-parse-arrays', 'read-osiris-objects', 'read-parse-objects'],
      rows,
      runs,
    );
    console.log(`\n${HEADER}`);
    console.log(line('write', '@osiris/connector-fs', osirisWrite!));
    console.log(line('write', 'csv-stringify', stringifyWrite!));
    console.log(line('read', 'connector-fs, lane', laneRead!));
    console.log(line('read', 'csv-parse, arrays', arraysRead!));
    console.log(line('read', 'connector-fs, objects', objectsRead!));
    console.log(line('read', 'csv-parse, objects', parseRead!));
    console.log(
      `\nfile: ${number(mib(osirisWrite!.bytes), 1)} MiB; csv-stringify wrote the same bytes: ${identical ? 'yes' : 'NO'}`,
    );

    const others = Object.keys(OTHER_WRITES) as Scenario[];
    const otherSmall = await compare(others, rows, runs);
    console.log(`\nthe other writes (memory), ${number(rows)} rows`);
    for (const [i, scenario] of others.entries())
      console.log(line('write', scenario.slice(6), otherSmall[i]!));

    console.log(`\nstreaming: the connector at ${number(large)} rows`);
    const [largeWrite] = await compare(['write-osiris'], large, runs);
    const otherLarge = await compare(others, large, runs);
    const [largeLane, largeRead] = await compare(['read-osiris-lane', 'read-osiris-objects'], large, runs);
    await rm(fileFor('write-osiris', large));
    await rm(`${fileFor('write-osiris', large)}.schema.json`, { force: true });
    console.log(line('write', '@osiris/connector-fs', largeWrite!));
    for (const [i, scenario] of others.entries())
      console.log(line('write', scenario.slice(6), otherLarge[i]!));
    console.log(line('read', 'connector-fs, lane', largeLane!));
    console.log(line('read', 'connector-fs, objects', largeRead!));

    const wallRatio = (a: Measurement, b: Measurement) => (a.rows / a.ms) * (b.ms / b.rows);
    const cpuRatio = (a: Measurement, b: Measurement) => (a.rows / a.cpuMs) * (b.cpuMs / b.rows);
    const rss = (small: Measurement, big: Measurement) => big.peakRssBytes / small.peakRssBytes;
    const checks: Array<[string, number, string, boolean]> = [
      [
        'write vs csv-stringify, CPU time',
        cpuRatio(osirisWrite!, stringifyWrite!),
        '≥ 1.00×',
        cpuRatio(osirisWrite!, stringifyWrite!) >= 1,
      ],
      ['write vs csv-stringify, wall clock', wallRatio(osirisWrite!, stringifyWrite!), '(shown)', true],
      [
        'read, lane vs csv-parse arrays, CPU time',
        cpuRatio(laneRead!, arraysRead!),
        '≥ 1.00×',
        cpuRatio(laneRead!, arraysRead!) >= 1,
      ],
      ['read, lane vs csv-parse arrays, wall clock', wallRatio(laneRead!, arraysRead!), '(shown)', true],
      ['read, objects vs csv-parse objects, CPU time', cpuRatio(objectsRead!, parseRead!), '(shown)', true],
      ['read, objects vs csv-parse objects, wall', wallRatio(objectsRead!, parseRead!), '(shown)', true],
      [
        `write peak RSS, ${number(large)} / ${number(rows)} rows`,
        rss(osirisWrite!, largeWrite!),
        '≤ 1.10×',
        rss(osirisWrite!, largeWrite!) <= 1.1,
      ],
      ...others.map((scenario, i): [string, number, string, boolean] => {
        const ratio = rss(otherSmall[i]!, otherLarge[i]!);
        return [
          `${scenario.slice(6)} peak RSS, ${number(large)} / ${number(rows)}`,
          ratio,
          '≤ 1.10×',
          ratio <= 1.1,
        ];
      }),
      [
        `read (lane) peak RSS, ${number(large)} / ${number(rows)}`,
        rss(laneRead!, largeLane!),
        '≤ 1.10×',
        rss(laneRead!, largeLane!) <= 1.1,
      ],
      [
        `read (objects) peak RSS, ${number(large)} / ${number(rows)}`,
        rss(objectsRead!, largeRead!),
        '≤ 1.10×',
        rss(objectsRead!, largeRead!) <= 1.1,
      ],
    ];
    console.log('\nratios');
    for (const [name, ratio, target, met] of checks) {
      const verdict = target === '(shown)' ? '' : `target ${target.padEnd(8)} ${met ? 'met' : 'MISSED'}`;
      console.log(`  ${name.padEnd(46)} ${`${number(ratio, 2)}×`.padStart(7)}  ${verdict}`);
    }
    if (!identical || checks.some(([, , , met]) => !met)) process.exitCode = 1;
  } finally {
    await rm(fileFor('write-osiris', rows), { force: true });
    await rm(`${fileFor('write-osiris', rows)}.schema.json`, { force: true });
  }
}

await main();
