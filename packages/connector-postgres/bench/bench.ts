/**
 * connector-postgres through the generic contract against the native tools, in one run, 1,000,000 rows of 10
 * mixed columns (BENCH_ROWS), each contender's median of BENCH_ROUNDS (3) alternating rounds, as ratios to the
 * tool (higher is faster), with peak RSS, and the content each one moved checked equal (row count and an md5 over
 * every value in key order):
 *   1. PostgreSQL → CSV: `fs.write({ rows: pg.read({ table }) })` vs `psql -c "\copy … TO file"` (target ≥ 0.8×);
 *   2. CSV → PostgreSQL: `pg.write({ rows: fs.read(…) })` of that CSV vs `psql -c "\copy … FROM file"` of psql's
 *      own file (target ≥ 0.8×);
 *   3. MySQL → PostgreSQL: `pg.write({ rows: mysql.read({ table }), createIfMissing })` vs pgloader on the same
 *      MariaDB table (target ≥ 3×, and a lower peak RSS). pgloader is the Debian package (`apt-get install -y
 *      pgloader`); without it that comparison says so and is skipped.
 * Beside the contract lines, the postgres side alone (read().positional() drained; positional batches made in
 * memory → write()) shows what is this package's and what is connector-fs's; BENCH_DRIVERS=1 adds the raw
 * drivers (pg + pg-copy-streams, postgres) that chose the driver. Node contenders run in processes of their own
 * (measureInChild); the tools' peak RSS and CPU come from GNU time when /usr/bin/time exists. "own CPU" is the
 * measured process's user + system time (not the server's), which the machine's load moves less than wall time. DATABASE_URL and MYSQL_URL
 * pick the servers; both bench databases are dropped at the end.
 * Run: `pnpm --filter @osiris/connector-postgres bench` (after `pnpm build`).
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createPostgresDatabase, createTestDatabase, type TestPostgresDatabase } from '@osiris/test-services';
import { measureInChild } from '@osiris/test-services/measure-in-child';
import { printTable } from '@osiris/test-services/print-table';
import type { ScenarioArgs, ScenarioResult } from './scenarios.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const DRIVERS = process.env.BENCH_DRIVERS === '1';
const GNU_TIME = '/usr/bin/time';
const dir = join(import.meta.dirname, '..', '.bench-data');
const run = promisify(execFile);

const TABLE = `
  CREATE TABLE bench (
    id bigint PRIMARY KEY, customer text NOT NULL, email text, amount numeric(12,2) NOT NULL,
    score double precision NOT NULL, quantity integer NOT NULL, active boolean NOT NULL,
    created_at timestamptz(3) NOT NULL, day date NOT NULL, note text);
  CREATE TABLE bench_in (LIKE bench INCLUDING ALL);
  CREATE TABLE bench_psql_in (LIKE bench INCLUDING ALL);
  CREATE TABLE bench_csv_check (LIKE bench INCLUDING ALL);
  CREATE TABLE bench_lane_in (LIKE bench INCLUDING ALL);
  CREATE TABLE bench_driver_in (LIKE bench INCLUDING ALL);`;

const FILL = `
  INSERT INTO bench
  SELECT g, 'customer ' || (g % 5000), CASE WHEN g % 7 = 0 THEN NULL ELSE 'user' || g || '@example.com' END,
         round((g % 100000) / 100.0, 2), g / 7.0, g % 1000, g % 2 = 0,
         timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', date '2020-01-01' + (g % 2000),
         CASE WHEN g % 3 = 0 THEN NULL ELSE 'note, "quoted"\t' || g END
    FROM generate_series(1, $1::int) g`;

/** The same columns in MariaDB, as a MySQL user has them (TINYINT(1) booleans, DATETIME(3)); rows of its own. */
const MYSQL_TABLE = `
  CREATE TABLE bench (
    id BIGINT PRIMARY KEY, customer VARCHAR(40) NOT NULL, email VARCHAR(80), amount DECIMAL(12,2) NOT NULL,
    score DOUBLE NOT NULL, quantity INT NOT NULL, active TINYINT(1) NOT NULL, created_at DATETIME(3) NOT NULL,
    day DATE NOT NULL, note TEXT)`;

const MYSQL_FILL = (rows: number) => `
  INSERT INTO bench
  SELECT seq, CONCAT('customer ', seq % 5000), IF(seq % 7 = 0, NULL, CONCAT('user', seq, '@example.com')),
         (seq % 100000) / 100, seq * 1e0 / 7, seq % 1000, seq % 2 = 0,
         TIMESTAMP('2024-01-01') + INTERVAL (seq * 1000 + seq % 1000) * 1000 MICROSECOND,
         DATE('2020-01-01') + INTERVAL (seq % 2000) DAY,
         CASE WHEN seq % 3 = 0 THEN NULL WHEN seq % 50 = 0 THEN CONCAT('says "hi",\\t', seq, '\\nnext \\\\ line')
              ELSE CONCAT('note, "quoted" ', seq) END
    FROM seq_1_to_${rows}`;

/**
 * Row count and an md5 over every value of a bench table in key order. Each column by its full text form, the
 * only reshaping being the one a type choice makes (a boolean or a 0/1 integer, timestamptz or timestamp shown
 * in UTC), so tables pgloader and the connector typed differently compare too.
 */
const CHECKSUM = (table: string) => `
  SELECT count(*)::int AS rows, md5(string_agg(row(id, customer, email, amount::text, score::text, quantity,
           active::text IN ('1', 'true'), to_char(created_at, 'YYYY-MM-DD HH24:MI:SS.MS'), day, note)::text,
           E'\\n' ORDER BY id)) AS md5
    FROM ${table}`;

/** A contender's median result over the rounds, and its highest peak RSS. */
interface Figure extends ScenarioResult {
  /** Every round's time, in order. */
  allMs: number[];
}

/** A line of the report. */
interface Line {
  name: string;
  figure: Figure;
  /** The baseline it is a ratio of, and the ratio it must reach (and whether it must use less memory). */
  against?: { baseline: Figure; target?: number; lessMemory?: boolean };
}

async function main() {
  const db = await createPostgresDatabase('osiris_bench');
  const my = await createTestDatabase('osiris_bench');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  const pgloader = await which('pgloader');
  const loadAtStart = loadAverage();
  try {
    process.stdout.write(`Filling ${ROWS.toLocaleString('en')} rows in PostgreSQL and in MariaDB…\n`);
    await db.sql(TABLE);
    await db.sql(FILL, [ROWS]);
    await db.sql('VACUUM ANALYZE bench');
    await my.admin.query(MYSQL_TABLE);
    await my.admin.query(MYSQL_FILL(ROWS));

    const args = (table: string, file: string): ScenarioArgs => ({
      url: db.url,
      dir,
      table,
      file,
      mysqlUrl: my.url,
    });
    const node = (scenario: string, scenarioArgs: ScenarioArgs) =>
      measureInChild<ScenarioResult>([
        '--import',
        'tsx',
        join(import.meta.dirname, 'scenarios.ts'),
        scenario,
        JSON.stringify(scenarioArgs),
      ]);
    const psql = (command: string) => tool('psql', [db.url, '-X', '-q', '-c', command]);
    const emptied = (table: string, measure: () => Promise<ScenarioResult>) => async () => {
      await db.sql(`TRUNCATE ${table}`);
      return measure();
    };
    const lines: Line[] = [];
    const verdicts: string[] = [];
    const psqlFile = join(dir, 'psql-out.txt');
    const csvFile = 'connector-out.csv';
    const n = `${ROWS >= 1e6 ? `${ROWS / 1e6}M` : `${ROWS / 1e3}k`} rows`;

    // 1. PostgreSQL → CSV
    const out = await rounds({
      psql: () => psql(`\\copy bench TO '${psqlFile}'`),
      contract: () => node('out-connector', args('bench', csvFile)),
      lane: () => node('out-lane', args('bench', '')),
      ...(DRIVERS && {
        pg: () => node('out-pg', args('bench', 'pg-out.txt')),
        postgres: () => node('out-postgres', args('bench', 'postgres-out.txt')),
      }),
    });
    lines.push(
      { name: `PostgreSQL → file ${n}: psql -c "\\copy bench TO file"`, figure: out.psql },
      {
        name: `PostgreSQL → CSV ${n}: fs.write({ rows: pg.read({ table }) })`,
        figure: out.contract,
        against: { baseline: out.psql, target: 0.8 },
      },
      {
        name: '  postgres side alone: pg.read().positional() drained',
        figure: out.lane,
        against: { baseline: out.psql },
      },
      ...driverLines(out, out.psql, 'COPY TO STDOUT → file'),
    );
    await psql(`\\copy bench_csv_check FROM '${join(dir, csvFile)}' WITH (FORMAT csv, HEADER true)`);

    // 2. CSV → PostgreSQL
    const into = await rounds({
      psql: emptied('bench_psql_in', () => psql(`\\copy bench_psql_in FROM '${psqlFile}'`)),
      contract: emptied('bench_in', () => node('in-connector', args('bench_in', csvFile))),
      lane: emptied('bench_lane_in', () => node('in-lane', args('bench_lane_in', ''))),
      generated: () => node('in-generated', args('bench_lane_in', '')),
      ...(DRIVERS && {
        pg: emptied('bench_driver_in', () => node('in-pg', args('bench_driver_in', 'psql-out.txt'))),
        postgres: emptied('bench_driver_in', () =>
          node('in-postgres', args('bench_driver_in', 'psql-out.txt')),
        ),
      }),
    });
    lines.push(
      { name: `file → PostgreSQL ${n}: psql -c "\\copy bench_in FROM file"`, figure: into.psql },
      {
        name: `CSV → PostgreSQL ${n}: pg.write({ rows: fs.read({ path }) })`,
        figure: into.contract,
        against: { baseline: into.psql, target: 0.8 },
      },
      {
        name: '  postgres side alone: positional batches made in memory → pg.write()',
        figure: into.lane,
        against: { baseline: into.psql },
      },
      { name: '  (making those batches alone, nothing written)', figure: into.generated },
      ...driverLines(into, into.psql, 'file → COPY FROM STDIN'),
    );

    // 3. MySQL → PostgreSQL
    const pgloaderTable = `${quoteIdentifier(my.database)}.bench`;
    const fromMysql = await rounds({
      ...(pgloader && {
        pgloader: () => tool('pgloader', ['--quiet', my.url, db.url.replace(/^postgres:/, 'postgresql:')]),
      }),
      contract: async () => {
        await db.sql('DROP TABLE IF EXISTS bench_from_mysql');
        return node('mysql-to-pg', args('bench_from_mysql', ''));
      },
    });
    if (fromMysql.pgloader !== undefined) {
      lines.push({ name: `MySQL → PostgreSQL ${n}: pgloader`, figure: fromMysql.pgloader });
    } else {
      verdicts.push(
        'pgloader not installed — apt-get install pgloader (the MySQL → PostgreSQL ratio is skipped)',
      );
    }
    lines.push({
      name: `MySQL → PostgreSQL ${n}: pg.write({ rows: mysql.read({ table }), createIfMissing })`,
      figure: fromMysql.contract,
      ...(fromMysql.pgloader && { against: { baseline: fromMysql.pgloader, target: 3, lessMemory: true } }),
    });

    // Equal content: every table a contender filled against the one it came from.
    const [source, ...copies] = await checksums(db, [
      'bench',
      'bench_csv_check',
      'bench_psql_in',
      'bench_in',
      'bench_lane_in',
    ]);
    const sameContent = (label: string, left: Sum, right: Sum) =>
      `${label}: ${right.rows.toLocaleString('en')} rows, md5 ${right.md5} ${left.rows === right.rows && left.md5 === right.md5 ? 'equal' : `DIFFERENT from ${left.rows} rows md5 ${left.md5}`}`;
    const [checkedCsv, psqlLoad, contractLoad, laneLoad] = copies as [Sum, Sum, Sum, Sum];
    const [mysqlRows] = (await my.admin.query('SELECT count(*) AS n FROM bench')) as unknown as [
      Array<{ n: number }>,
    ];
    const [connectorFromMysql, ...pgloaderFromMysql] = await checksums(db, [
      'bench_from_mysql',
      ...(pgloader ? [pgloaderTable] : []),
    ]);
    const checks = [
      sameContent('PostgreSQL → CSV (the CSV loaded back by psql) vs the table', source as Sum, checkedCsv),
      sameContent('psql \\copy FROM vs the table', source as Sum, psqlLoad),
      sameContent('CSV → PostgreSQL (the contract) vs the table', source as Sum, contractLoad),
      sameContent('in-memory batches → pg.write() vs the table', source as Sum, laneLoad),
      `MySQL → PostgreSQL (the contract): ${(connectorFromMysql as Sum).rows.toLocaleString('en')} rows of MariaDB's ${Number(mysqlRows[0]?.n).toLocaleString('en')}, md5 ${(connectorFromMysql as Sum).md5}`,
      ...pgloaderFromMysql.map((sum) =>
        sameContent('MySQL → PostgreSQL pgloader vs the contract', connectorFromMysql as Sum, sum),
      ),
    ];

    printReport(lines);
    process.stdout.write(`\n${[...checks, ...verdicts].join('\n')}\n`);
    process.stdout.write(
      `\nload average (1/5/15 min) at the start: ${loadAtStart}; at the end: ${loadAverage()}; median of ${ROUNDS} alternating rounds\n`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
    await db.drop();
    await my.drop();
  }
}

/** Runs the contenders in turns, ROUNDS times: each one's median time, all its times, its highest peak RSS. */
async function rounds<T extends { [name: string]: (() => Promise<ScenarioResult>) | undefined }>(
  contenders: T,
): Promise<{ [K in keyof T]: undefined extends T[K] ? Figure | undefined : Figure }> {
  type K = keyof T & string;
  const all = new Map<K, ScenarioResult[]>();
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, measure] of Object.entries(contenders) as Array<[K, () => Promise<ScenarioResult>]>) {
      if (measure === undefined) continue;
      const result = await measure();
      if (result.rows !== ROWS) throw new Error(`${name} moved ${result.rows} rows, expected ${ROWS}`);
      all.set(name, [...(all.get(name) ?? []), result]);
    }
  }
  const figures: Partial<Record<K, Figure>> = {};
  for (const [name, results] of all) {
    const sorted = [...results].sort((a, b) => a.ms - b.ms);
    figures[name] = {
      ...(sorted[Math.floor(sorted.length / 2)] as ScenarioResult),
      peakRssBytes: Math.max(...results.map((result) => result.peakRssBytes)),
      allMs: results.map((result) => result.ms),
    };
  }
  return figures as { [K in keyof T]: undefined extends T[K] ? Figure | undefined : Figure };
}

/** Runs a command-line tool; its wall time and, through GNU time when present, its peak RSS and CPU time. */
async function tool(command: string, toolArgs: readonly string[]): Promise<ScenarioResult> {
  const rssFile = join(dir, `${command}.rss`);
  const timed = existsSync(GNU_TIME);
  const started = performance.now();
  await (timed
    ? run(GNU_TIME, ['-f', '%M %U %S', '-o', rssFile, command, ...toolArgs], { maxBuffer: 64 << 20 })
    : run(command, [...toolArgs], { maxBuffer: 64 << 20 }));
  const ms = performance.now() - started;
  if (!timed) return { ms, rows: ROWS, peakRssBytes: Number.NaN, cpuMs: Number.NaN };
  const [rss, user, system] = ((await readFile(rssFile, 'utf8')).trim().split('\n').at(-1) as string).split(
    ' ',
  );
  return { ms, rows: ROWS, peakRssBytes: Number(rss) * 1024, cpuMs: (Number(user) + Number(system)) * 1000 };
}

async function which(command: string): Promise<boolean> {
  return run('/bin/sh', ['-c', `command -v ${command}`]).then(
    () => true,
    () => false,
  );
}

/** The optional raw-driver lines (BENCH_DRIVERS=1). */
function driverLines(figures: Partial<Record<string, Figure>>, baseline: Figure, what: string): Line[] {
  return (['pg', 'postgres'] as const).flatMap((driver) => {
    const figure = figures[driver];
    if (figure === undefined) return [];
    const name = driver === 'pg' ? 'pg + pg-copy-streams' : 'postgres (porsager)';
    return [{ name: `  raw driver: ${name}, ${what}`, figure, against: { baseline } }];
  });
}

interface Sum {
  rows: number;
  md5: string;
}

async function checksums(db: TestPostgresDatabase, tables: readonly string[]): Promise<Sum[]> {
  await db.sql("SET TimeZone = 'UTC'");
  const sums: Sum[] = [];
  for (const table of tables)
    sums.push((await db.sql<{ rows: number; md5: string }>(CHECKSUM(table))).rows[0] as Sum);
  return sums;
}

const quoteIdentifier = (name: string) => `"${name.replaceAll('"', '""')}"`;

function printReport(lines: readonly Line[]): void {
  const mb = (bytes: number) => (Number.isNaN(bytes) ? '' : `${Math.round(bytes / 2 ** 20)} MB`);
  const rows = lines.map(({ name, figure, against }) => {
    let ratio = '';
    if (against !== undefined) {
      const value = against.baseline.ms / figure.ms;
      ratio = `${value.toFixed(2)}×`;
      if (against.target !== undefined) {
        const fast = value >= against.target;
        const lean = !against.lessMemory || figure.peakRssBytes < against.baseline.peakRssBytes;
        ratio += ` (target ≥ ${against.target}×${against.lessMemory ? ' and less RSS' : ''}: ${fast && lean ? 'met' : 'MISSED'})`;
      }
    }
    const times = figure.allMs.map((ms) => (ms / 1000).toFixed(2)).join(' / ');
    const cpu = Number.isNaN(figure.cpuMs) ? '' : `${(figure.cpuMs / 1000).toFixed(2)} s`;
    return [name, `${(figure.ms / 1000).toFixed(2)} s`, times, ratio, mb(figure.peakRssBytes), cpu];
  });
  printTable(['contender', 'median', 'rounds (s)', 'ratio', 'peak RSS', 'own CPU'], rows);
}

const loadAverage = () =>
  loadavg()
    .map((load) => load.toFixed(2))
    .join(' / ');

await main();
