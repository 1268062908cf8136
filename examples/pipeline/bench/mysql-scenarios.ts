/**
 * One benchmark measurement per process, so that each peak RSS is its own. Run by mysql.ts as
 * `node --import tsx bench/mysql-scenarios.ts <scenario> <json args>`; prints one JSON line. Every connector
 * scenario goes through the plain data contract, as a runner calls it: `sink.write({ rows: source.read(…) })`.
 */
import { createRequire } from 'node:module';
import { type FsConnection, fsConnector } from '@osiris/connector-fs';
import { type MysqlConnection, mysqlConnector } from '@osiris/connector-mysql';

/** What every scenario is told. */
export interface ScenarioArgs {
  /** mysql:// URL of the bench database. */
  url: string;
  /** Directory the CSV files go to. */
  dir: string;
  /** The statement (a query read) or the table (a table read) the scenario reads. */
  sql?: string;
  table?: string;
  /** The table a load or copy writes into. */
  target?: string;
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

/** mysql2 as connector-mysql resolves it: the bare-driver baselines run on the connector's own driver. */
const require = createRequire(createRequire(import.meta.url).resolve('@osiris/connector-mysql'));

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

/** A table read, or a query read when the scenario names a statement. */
const readOf = (source: MysqlConnection, args: ScenarioArgs) =>
  args.sql !== undefined ? source.read({ query: args.sql }) : source.read({ table: args.table as string });

const scenarios: Record<string, (args: ScenarioArgs) => Promise<number>> = {
  /** MySQL → CSV: `fs.write({ rows: mysql.read(…) })`. */
  async extract(args) {
    const [source, sink] = await Promise.all([mysql(args), files(args)]);
    const result = await sink.write({ path: args.file as string, format: 'csv', rows: readOf(source, args) });
    await Promise.all([source.close(), sink.close()]);
    return result.rowsWritten;
  },

  /** CSV → MySQL: `mysql.write({ rows: fs.read(…) })` into an empty table. */
  async load(args) {
    const [sink, source] = await Promise.all([mysql(args), files(args)]);
    const result = await sink.write({
      table: args.target as string,
      rows: source.read({ path: args.file as string, format: 'csv' }),
    });
    await Promise.all([source.close(), sink.close()]);
    return result.rowsWritten;
  },

  /** MySQL → MySQL: `mysql.write({ rows: mysql.read({ table }) })` into an empty table. */
  async copy(args) {
    const connection = await mysql(args);
    const result = await connection.write({
      table: args.target as string,
      rows: connection.read({ table: args.table as string }),
    });
    await connection.close();
    return result.rowsWritten;
  },

  /** User code iterating a read: row objects, every value touched. */
  async 'iterate-objects'(args) {
    const connection = await mysql(args);
    let rows = 0;
    for await (const batch of readOf(connection, args)) {
      for (const row of batch) if (row.id !== undefined) rows += 1;
    }
    await connection.close();
    return rows;
  },

  /** The same rows through a bare mysql2 streaming query (its own object rows and value parsing). */
  async 'iterate-mysql2'(args) {
    const connection = require('mysql2').createConnection({ uri: args.url });
    const sql = args.sql ?? `SELECT * FROM \`${args.table}\``;
    const rows = await new Promise<number>((resolve, reject) => {
      let seen = 0;
      connection
        .query(sql)
        .on('result', (row: { id?: unknown }) => {
          if (row.id !== undefined) seen += 1;
        })
        .on('error', reject)
        .on('end', () => resolve(seen));
    });
    connection.end();
    return rows;
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
