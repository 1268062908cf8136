/**
 * One benchmark measurement per process, so that each peak RSS is its own. Run by bench.ts as
 * `node --import tsx bench/scenarios.ts <scenario> <json args>`; prints one JSON line. The contract scenarios
 * make the calls a runner makes: `sink.write({ rows: source.read(…) })`.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type FsConnection, fsConnector } from '@osiris/connector-fs';
import { type MysqlConnection, mysqlConnector } from '@osiris/connector-mysql';
import { type CanonicalValue, type ColumnInfo, type PositionalBatch, positionalStream } from '@osiris/core';
import pg from 'pg';
import copyStreams from 'pg-copy-streams';
import postgres from 'postgres';
import { type PostgresConnection, postgresConnector } from '../src/index.js';

/** What every scenario is told. */
export interface ScenarioArgs {
  /** postgres:// URL of the bench database. */
  url: string;
  /** Directory the files go to. */
  dir: string;
  /** Table read from or written to. */
  table: string;
  /** File (in `dir`) written or read. */
  file: string;
  /** mysql:// URL of the bench's MySQL database (the MySQL → PostgreSQL scenario reads its `bench` table). */
  mysqlUrl?: string;
}

/** What a scenario reports. */
export interface ScenarioResult {
  /** Wall time. */
  ms: number;
  rows: number;
  peakRssBytes: number;
  /** CPU time (user + system) of the measured process itself, which a loaded machine moves less than wall time. */
  cpuMs: number;
}

const connector = (args: ScenarioArgs) =>
  postgresConnector.connect(postgresConnector.configSchema.parse({ url: args.url, statement_timeout: 0 }), {
    reference: '@postgres.bench',
    alias: 'bench',
  }) as Promise<PostgresConnection>;

const files = (args: ScenarioArgs) =>
  fsConnector.connect(fsConnector.configSchema.parse({ base_dir: args.dir }), {
    reference: '@filesystem.bench',
    alias: 'bench',
  }) as Promise<FsConnection>;

const mysql = (args: ScenarioArgs) =>
  mysqlConnector.connect(mysqlConnector.configSchema.parse({ url: args.mysqlUrl }), {
    reference: '@mysql.bench',
    alias: 'bench',
  }) as Promise<MysqlConnection>;

async function withPg<T>(args: ScenarioArgs, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: args.url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

async function withPostgresJs<T>(args: ScenarioArgs, work: (sql: postgres.Sql) => Promise<T>): Promise<T> {
  const sql = postgres(args.url, { max: 1, onnotice: () => undefined });
  try {
    return await work(sql);
  } finally {
    await sql.end();
  }
}

/** The bench table's columns as a typed source describes them. */
const BENCH_COLUMNS: ColumnInfo[] = [
  { name: 'id', type: { kind: 'integer', bits: 64, unsigned: false }, nullable: false },
  { name: 'customer', type: { kind: 'string' }, nullable: false },
  { name: 'email', type: { kind: 'string' } },
  { name: 'amount', type: { kind: 'decimal', precision: 12, scale: 2 }, nullable: false },
  { name: 'score', type: { kind: 'float', bits: 64 }, nullable: false },
  { name: 'quantity', type: { kind: 'integer', bits: 32, unsigned: false }, nullable: false },
  { name: 'active', type: { kind: 'boolean' }, nullable: false },
  { name: 'created_at', type: { kind: 'timestamp', precision: 3 }, nullable: false },
  { name: 'day', type: { kind: 'date' }, nullable: false },
  { name: 'note', type: { kind: 'string' } },
];

const DAY_MS = 86_400_000;
const DAY_SECONDS = 86_400;
const FIRST_INSTANT = Date.UTC(2024, 0, 1);
const FIRST_DAY = Date.UTC(2020, 0, 1);
const TWO_DIGITS = Array.from({ length: 60 }, (_, n) => String(n).padStart(2, '0'));
const dayText = (ms: number) => new Date(ms).toISOString().slice(0, 10);
/** The 2,000 distinct `day` values, made once (a Date per row would cost more than the write's own work). */
const DAYS = Array.from({ length: 2000 }, (_, n) => dayText(FIRST_DAY + n * DAY_MS));
const instantDays: string[] = [];

/** `created_at` of row g: 2024-01-01 plus g seconds, as canonical timestamp(3) text, from cached day prefixes. */
function instantText(g: number): string {
  const day = Math.floor(g / DAY_SECONDS);
  instantDays[day] ??= `${dayText(FIRST_INSTANT + day * DAY_MS)}T`;
  const second = g % DAY_SECONDS;
  const hh = TWO_DIGITS[Math.floor(second / 3600)] ?? String(Math.floor(second / 3600));
  return `${instantDays[day]}${hh}:${TWO_DIGITS[Math.floor(second / 60) % 60]}:${TWO_DIGITS[second % 60]}.000Z`;
}

/** The rows bench.ts's FILL makes, as positional batches of canonical values made in memory (no file, no parse). */
async function* generatedBatches(rows: number, size: number): AsyncGenerator<PositionalBatch> {
  for (let start = 1; start <= rows; start += size) {
    const end = Math.min(rows, start + size - 1);
    const batch: PositionalBatch = new Array(end - start + 1);
    for (let g = start; g <= end; g++) {
      const cents = g % 100_000;
      const row: CanonicalValue[] = [
        BigInt(g),
        `customer ${g % 5000}`,
        g % 7 === 0 ? null : `user${g}@example.com`,
        `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`,
        g / 7,
        g % 1000,
        g % 2 === 0,
        instantText(g),
        DAYS[g % 2000] as string,
        g % 3 === 0 ? null : `note, "quoted"\t${g}`,
      ];
      batch[g - start] = row;
    }
    yield batch;
  }
}

const scenarios: Record<string, (args: ScenarioArgs) => Promise<number>> = {
  /** COPY TO STDOUT with pg + pg-copy-streams, the bytes into a file. */
  'out-pg': (args) =>
    withPg(args, async (client) => {
      const stream = client.query(copyStreams.to(`COPY ${args.table} TO STDOUT`));
      await pipeline(stream, createWriteStream(join(args.dir, args.file)));
      return stream.rowCount ?? 0;
    }),

  /** COPY TO STDOUT with postgres (porsager), the bytes into a file. */
  'out-postgres': (args) =>
    withPostgresJs(args, async (sql) => {
      const readable = await sql.unsafe(`COPY ${args.table} TO STDOUT`).readable();
      let rows = 0;
      readable.on('data', (chunk: Buffer) => {
        for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) rows++;
      });
      await pipeline(readable, createWriteStream(join(args.dir, args.file)));
      return rows;
    }),

  /** The generic contract: connector-postgres read() (canonical row objects) into connector-fs's CSV write. */
  async 'out-connector'(args) {
    const [source, sink] = await Promise.all([connector(args), files(args)]);
    const result = await sink.write({
      path: args.file,
      format: 'csv',
      rows: source.read({ table: args.table, batchSize: 5_000 }),
      sort_columns: false,
    });
    await Promise.all([source.close(), sink.close()]);
    return result.rowsWritten;
  },

  /** MySQL → PostgreSQL through the contract: the table created from the source's columns, as pgloader does. */
  async 'mysql-to-pg'(args) {
    const [source, sink] = await Promise.all([mysql(args), connector(args)]);
    const result = await sink.write({
      table: args.table,
      rows: source.read({ table: 'bench' }),
      createIfMissing: true,
    });
    await Promise.all([source.close(), sink.close()]);
    return result.rowsWritten;
  },

  /** The postgres side of the fast lane alone: read().positional() drained, nothing written. */
  async 'out-lane'(args) {
    const source = await connector(args);
    let rows = 0;
    const stream = source.read({ table: args.table, batchSize: 5_000 });
    for await (const batch of stream.positional?.() ?? []) rows += batch.length;
    await source.close();
    return rows;
  },

  /** What user code iterating read() gets: row objects, drained. */
  async 'out-objects'(args) {
    const source = await connector(args);
    let rows = 0;
    for await (const batch of source.read({ table: args.table, batchSize: 5_000 })) rows += batch.length;
    await source.close();
    return rows;
  },

  /** The postgres side of the fast lane alone: positional batches made in memory, written by write(). */
  async 'in-lane'(args) {
    const sink = await connector(args);
    const rows = Number(process.env.BENCH_ROWS ?? 1_000_000);
    const result = await sink.write({
      table: args.table,
      rows: positionalStream(
        async () => BENCH_COLUMNS,
        () => generatedBatches(rows, 10_000),
      ),
    });
    await sink.close();
    if (!result.fastLane) throw new Error('the in-memory positional source did not take the fast lane');
    return result.rowsWritten;
  },

  /** What making those batches costs alone (part of the figure above), drained with nothing written. */
  async 'in-generated'() {
    let rows = 0;
    for await (const batch of generatedBatches(Number(process.env.BENCH_ROWS ?? 1_000_000), 10_000))
      rows += batch.length;
    return rows;
  },

  /** COPY FROM STDIN with pg + pg-copy-streams, from a COPY text file. */
  'in-pg': (args) =>
    withPg(args, async (client) => {
      const stream = client.query(copyStreams.from(`COPY ${args.table} FROM STDIN`));
      await pipeline(createReadStream(join(args.dir, args.file)), stream);
      return stream.rowCount;
    }),

  /** COPY FROM STDIN with postgres (porsager), from a COPY text file. */
  'in-postgres': (args) =>
    withPostgresJs(args, async (sql) => {
      const writable = await sql.unsafe(`COPY ${args.table} FROM STDIN`).writable();
      await pipeline(createReadStream(join(args.dir, args.file)), writable);
      // postgres.js reports no COPY row count (and a second query on its pool waits here), so pg counts.
      return withPg(args, async (client) =>
        Number((await client.query(`SELECT count(*) AS n FROM ${args.table}`)).rows[0].n),
      );
    }),

  /** The generic contract: connector-fs reads a CSV into row objects, connector-postgres writes them (COPY). */
  async 'in-connector'(args) {
    const [sink, source] = await Promise.all([connector(args), files(args)]);
    const result = await sink.write({
      table: args.table,
      rows: source.read({ path: args.file, format: 'csv', batchSize: 10_000 }),
    });
    await Promise.all([source.close(), sink.close()]);
    return result.rowsWritten;
  },
};

const [name, json] = process.argv.slice(2);
const scenario = scenarios[name as string];
if (scenario === undefined)
  throw new Error(`unknown scenario ${name}; one of ${Object.keys(scenarios).join(', ')}`);
const started = performance.now();
const rows = await scenario(JSON.parse(json as string) as ScenarioArgs);
const result: ScenarioResult = {
  ms: performance.now() - started,
  rows,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
  cpuMs: (process.cpuUsage().user + process.cpuUsage().system) / 1000,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
