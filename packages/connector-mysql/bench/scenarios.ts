/**
 * One benchmark measurement per process, so that each peak RSS is its own. Run by bench.ts as
 * `node --import tsx bench/scenarios.ts <scenario> <json args>`; prints one JSON line.
 */
import { createRequire } from 'node:module';
import { CsvEncoder, type FsConnection, fsConnector } from '@osiris/connector-fs';
import { type MysqlConnection, mysqlConnector } from '@osiris/connector-mysql';

/** What every scenario is told. */
export interface ScenarioArgs {
  /** mysql:// URL of the bench database. */
  url: string;
  /** Directory the CSV files go to. */
  dir: string;
  /** The statement or table the scenario works on. */
  sql?: string;
  table?: string;
  file?: string;
  /** Statements for the SELECT 1 scenarios, and how many run at once. */
  count?: number;
  concurrency?: number;
}

/** What a scenario reports. */
export interface ScenarioResult {
  ms: number;
  rows: number;
  peakRssBytes: number;
}

const require = createRequire(import.meta.url);

const mysql = (args: ScenarioArgs, extra: Record<string, unknown> = {}) =>
  mysqlConnector.connect(mysqlConnector.configSchema.parse({ url: args.url, ...extra }), {
    reference: '@mysql.bench',
    alias: 'bench',
  }) as Promise<MysqlConnection>;

const files = (args: ScenarioArgs) =>
  fsConnector.connect(fsConnector.configSchema.parse({ base_dir: args.dir }), {
    reference: '@filesystem.bench',
    alias: 'bench',
  }) as Promise<FsConnection>;

const scenarios: Record<string, (args: ScenarioArgs) => Promise<number>> = {
  /** MySQL → CSV on the fast path: rows as arrays of the server's text, straight into the CSV encoder. */
  async 'extract-records'(args) {
    const [source, sink] = await Promise.all([mysql(args), files(args)]);
    const stream = source.readRecords({ query: args.sql as string, values: 'text', batchSize: 2_000 });
    const encoder = new CsvEncoder();
    let rows = 0;
    async function* text() {
      yield encoder.header((await stream.columns()).map((column) => column.name));
      for await (const batch of stream) {
        rows += batch.length;
        yield encoder.records(batch);
      }
    }
    await sink.atomicWrite(args.file as string, text());
    await Promise.all([source.close(), sink.close()]);
    return rows;
  },

  /** MySQL → CSV through the plain contract: typed row objects into connector-fs's CSV write. */
  async 'extract-objects'(args) {
    const [source, sink] = await Promise.all([mysql(args), files(args)]);
    const stream = source.read({ query: args.sql as string, batchSize: 2_000 });
    const result = await sink.write({
      path: args.file as string,
      format: 'csv',
      rows: stream,
      sort_columns: false,
    });
    await Promise.all([source.close(), sink.close()]);
    return result.rowsWritten;
  },

  /** CSV → MySQL on the fast path: connector-fs streams the file's bytes, the server parses them (LOAD DATA). */
  async 'load-bytes'(args) {
    const [sink, source] = await Promise.all([mysql(args), files(args)]);
    const result = await sink.loadCsv({
      table: args.table as string,
      data: source.readBytes(args.file as string),
    });
    await Promise.all([source.close(), sink.close()]);
    return result.rowsWritten;
  },

  /** CSV → MySQL through the plain contract: connector-fs parses rows, connector-mysql streams them via LOAD DATA. */
  async 'load-rows'(args) {
    const [sink, source] = await Promise.all([mysql(args), files(args)]);
    const result = await sink.write({
      table: args.table as string,
      rows: source.read({ path: args.file as string, format: 'csv', batchSize: 50_000 }),
      method: 'load-data',
    });
    await Promise.all([source.close(), sink.close()]);
    return result.rowsWritten;
  },

  /** `SELECT 1` many times through the connector's pool. */
  async 'select1-osiris'(args) {
    const connection = await mysql(args, { pool_size: args.concurrency });
    const done = await concurrently(args, () => connection.query('SELECT 1'));
    await connection.close();
    return done;
  },

  /** `SELECT 1` many times through a bare mysql2 pool of the same size. */
  async 'select1-mysql2'(args) {
    const pool = require('mysql2/promise').createPool({ uri: args.url, connectionLimit: args.concurrency });
    const done = await concurrently(args, () => pool.query('SELECT 1'));
    await pool.end();
    return done;
  },
};

/** Runs `count` calls, `concurrency` at a time (after a warm-up that opens every connection). */
async function concurrently(args: ScenarioArgs, call: () => Promise<unknown>): Promise<number> {
  const concurrency = args.concurrency as number;
  await Promise.all(Array.from({ length: concurrency * 4 }, call));
  let left = args.count as number;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (left > 0) {
        left -= 1;
        await call();
      }
    }),
  );
  timed = performance.now() - started;
  return args.count as number;
}

/** Set by a scenario that times only part of its work (the SELECT 1 loops exclude their warm-up). */
let timed: number | undefined;

const [name, json] = process.argv.slice(2);
const scenario = scenarios[name as string];
if (scenario === undefined)
  throw new Error(`unknown scenario ${name}; one of ${Object.keys(scenarios).join(', ')}`);
const started = performance.now();
const rows = await scenario(JSON.parse(json as string) as ScenarioArgs);
const result: ScenarioResult = {
  ms: timed ?? performance.now() - started,
  rows,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
};
process.stdout.write(`${JSON.stringify(result)}\n`);
