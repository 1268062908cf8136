/**
 * One benchmark measurement per process, so that each peak RSS is its own. Run by bench.ts as
 * `node --import tsx bench/scenarios.ts <scenario> <json args>`; prints one JSON line.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { type FsConnection, fsConnector } from '@osiris/connector-fs';
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
}

/** What a scenario reports. */
export interface ScenarioResult {
  ms: number;
  rows: number;
  peakRssBytes: number;
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
};
process.stdout.write(`${JSON.stringify(result)}\n`);
