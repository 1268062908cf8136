/**
 * connector-mysql through the plain data contract — the calls a runner makes, `fs.write({ rows: mysql.read(…) })`
 * and `mysql.write({ rows: fs.read(…) })` — against the tools a user would otherwise reach for, in one run:
 *   1. MySQL → CSV, 1,000,000 rows of 10 mixed columns vs `mariadb --quick -B -e 'SELECT …' > file`
 *      (target ≥ 0.65×); peak RSS at 1M vs 5M rows;
 *   2. that CSV → an empty table vs the client's LOAD DATA LOCAL INFILE of the same file (target ≥ 0.85×,
 *      CHECKSUM TABLE equal);
 *   3. MySQL → MySQL table copy vs `mariadb-dump | mariadb` (target ≥ 0.5×);
 *   4. user code iterating row objects vs a bare mysql2 streaming query;
 *   5. 20,000 `SELECT 1` at concurrency 8: the connector's pool vs a bare mysql2 pool (target ≥ 0.9×).
 * It lives in the example pipeline because it measures two connectors together (connector-mysql itself does
 * not depend on connector-fs). Every measurement runs in a process of its own (so its peak RSS is its own); the
 * contenders of a row take turns for BENCH_ROUNDS rounds and the median time of each counts. The table is
 * generated once per run in a database of its own, dropped at the end.
 * Run: `pnpm build && pnpm --filter @osiris/example-pipeline bench`. MYSQL_URL picks the server, MYSQL_CLIENT
 * the client binary (mariadb), MYSQL_DUMP the dump tool (mariadb-dump), BENCH_ROWS the table size,
 * BENCH_LARGE_ROWS the streaming-memory run (0 skips it).
 */
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, open, rm, stat } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { measureInChild } from '@osiris/test-services/measure-in-child';
import { printTable } from '@osiris/test-services/print-table';
import type { ScenarioArgs, ScenarioResult } from './mysql-scenarios.js';

/** The few calls of mysql2/promise the bench makes on its admin connection. */
interface AdminConnection {
  query(sql: string): Promise<[unknown, unknown]>;
  end(): Promise<void>;
}

/** mysql2 as connector-mysql resolves it (the example itself does not depend on the driver). */
const mysql = createRequire(createRequire(import.meta.url).resolve('@osiris/connector-mysql'))(
  'mysql2/promise',
) as { createConnection(options: { uri: string }): Promise<AdminConnection> };

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const LARGE_ROWS = Number(process.env.BENCH_LARGE_ROWS ?? 5_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const SELECTS = 20_000;
const CONCURRENCY = 8;
const CLIENT = process.env.MYSQL_CLIENT ?? 'mariadb';
const DUMP = process.env.MYSQL_DUMP ?? 'mariadb-dump';
const server = new URL(process.env.MYSQL_URL ?? 'mysql://root@127.0.0.1:3306');
const database = `osiris_bench_${randomBytes(4).toString('hex')}`;
/** The database `mariadb-dump | mariadb` copies the table into. */
const copies = `${database}_dump`;
const dir = join(import.meta.dirname, '..', '.bench-data');
const COLUMNS = [
  'id',
  'customer',
  'email',
  'amount',
  'score',
  'quantity',
  'active',
  'created_at',
  'day',
  'note',
];
const NULLABLE = new Set(['email', 'note']);

const url = (() => {
  const copy = new URL(server.href);
  copy.pathname = `/${database}`;
  return copy.href;
})();

/** A command-line tool (the client by default) with this server's connection arguments. */
const clientCommand = (...extra: string[]) => toolCommand(CLIENT, ...extra);
const toolCommand = (tool: string, ...extra: string[]) =>
  [
    tool,
    `--host=${server.hostname}`,
    `--port=${server.port || 3306}`,
    `--user=${decodeURIComponent(server.username || 'root')}`,
    ...(server.password ? [`--password=${decodeURIComponent(server.password)}`] : []),
    ...extra,
  ]
    .map(shellWord)
    .join(' ');

/** Runs a scenario of scenarios.ts in its own process. */
function scenario(name: string, args: Partial<ScenarioArgs>): Promise<ScenarioResult> {
  return measureInChild([
    '--import',
    'tsx',
    join(import.meta.dirname, 'mysql-scenarios.ts'),
    name,
    JSON.stringify({ url, dir, ...args }),
  ]);
}

/** Runs the client through a shell (for its `> file` redirection); its wall time. */
async function client(command: string): Promise<ScenarioResult> {
  const started = performance.now();
  await promisify(execFile)('/bin/sh', ['-c', command], { maxBuffer: 1 << 20 });
  return { ms: performance.now() - started, rows: ROWS, peakRssBytes: 0 };
}

/** Runs the contenders in turns, `ROUNDS` times; the median result of each (by time). */
async function rounds<const T extends readonly (() => Promise<ScenarioResult>)[]>(
  contenders: T,
): Promise<{ [K in keyof T]: ScenarioResult }> {
  const all: ScenarioResult[][] = contenders.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, run] of contenders.entries()) all[index]?.push(await run());
  }
  return all.map((results) => results.sort((a, b) => a.ms - b.ms)[Math.floor(results.length / 2)]) as {
    [K in keyof T]: ScenarioResult;
  };
}

const loadAverage = () =>
  loadavg()
    .map((load) => load.toFixed(2))
    .join(' / ');
const loadAtStart = loadAverage();

async function main(): Promise<void> {
  await mkdir(dir, { recursive: true });
  const admin = await mysql.createConnection({ uri: server.href });
  await admin.query(`CREATE DATABASE \`${database}\` CHARACTER SET utf8mb4`);
  await admin.query(`USE \`${database}\``);
  const table: string[][] = [];
  const label = (rows: number) => `${rows >= 1e6 ? `${rows / 1e6}M` : `${rows / 1e3}k`}`;
  try {
    process.stdout.write(
      `Generating ${ROWS.toLocaleString('en')} rows in ${database}; median of ${ROUNDS} rounds…\n`,
    );
    await admin.query(
      `CREATE TABLE t (id BIGINT PRIMARY KEY, customer VARCHAR(40) NOT NULL, email VARCHAR(80), amount DECIMAL(12,2),
         score DOUBLE, quantity INT, active TINYINT(1), created_at DATETIME(3), day DATE, note TEXT)`,
    );
    await admin.query(
      `INSERT INTO t SELECT seq, CONCAT('Customer ', seq % 10007), IF(seq % 9 = 0, NULL, CONCAT('user', seq, '@example.com')),
         ROUND(RAND(seq) * 100000, 2), RAND(seq * 3) * 1e6, seq % 1000, seq % 2,
         DATE_ADD(TIMESTAMP('2024-01-01'), INTERVAL (seq * 1000000 + (seq % 1000) * 1000) MICROSECOND),
         DATE('2020-01-01') + INTERVAL (seq % 3000) DAY,
         CASE WHEN seq % 4 = 0 THEN NULL WHEN seq % 50 = 0 THEN CONCAT('says "hi", ', seq, '\\nnext line')
              ELSE CONCAT('note ', seq % 997) END
       FROM seq_1_to_${ROWS}`,
    );
    const select = `SELECT ${COLUMNS.join(', ')} FROM \`${database}\`.t`;
    const n = label(ROWS);

    // 1. MySQL → CSV
    const [viaClient, generic] = await rounds([
      () => client(`${clientCommand('--quick', '-B', '-e', select)} > ${shellWord(join(dir, 'client.tsv'))}`),
      () => scenario('extract', { table: 't', file: 'extract.csv' }),
    ]);
    const csvBytes = (await stat(join(dir, 'extract.csv'))).size;
    table.push(
      [`MySQL → file ${n}, mariadb --quick -B > file`, ...figures(viaClient), '1.00×', ''],
      [
        `MySQL → CSV ${n}, fs.write({ rows: mysql.read({ table }) })`,
        ...figures(generic),
        ratio(viaClient, generic, 0.65),
        mb(generic.peakRssBytes),
      ],
    );
    if (LARGE_ROWS > 0) {
      const large = await scenario('extract', {
        sql: `SELECT t.* FROM \`${database}\`.t CROSS JOIN seq_1_to_${Math.ceil(LARGE_ROWS / ROWS)}`,
        file: 'extract-large.csv',
      });
      await rm(join(dir, 'extract-large.csv'), { force: true });
      const growth = (large.peakRssBytes / generic.peakRssBytes - 1) * 100;
      table.push([
        `MySQL → CSV ${label(large.rows)}, the same (a query read)`,
        ...figures(large),
        `RSS ${growth >= 0 ? '+' : ''}${growth.toFixed(1)}% vs ${n}`,
        mb(large.peakRssBytes),
      ]);
    }

    // 2. that CSV → empty tables
    for (const name of ['t_client', 't_load']) await admin.query(`CREATE TABLE ${name} LIKE t`);
    // The CSV's own column order (connector-fs sorts columns by name unless told otherwise).
    const header = await firstLine(join(dir, 'extract.csv'));
    const variables = header
      .split(',')
      .map((column) => (NULLABLE.has(column) ? `@${column}` : column))
      .join(', ');
    const nulls = [...NULLABLE].map((column) => `${column} = NULLIF(@${column}, '')`).join(', ');
    const load = `LOAD DATA LOCAL INFILE ${sqlText(join(dir, 'extract.csv'))} INTO TABLE \`${database}\`.t_client
      CHARACTER SET utf8mb4 FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' ESCAPED BY '' LINES TERMINATED BY '\\n'
      IGNORE 1 LINES (${variables}) SET ${nulls}`;
    const emptied = async (name: string) => {
      await admin.query(`TRUNCATE TABLE ${name}`);
    };
    const [loadClient, loadGeneric] = await rounds([
      () => emptied('t_client').then(() => client(clientCommand('--local-infile=1', '-e', load))),
      () => emptied('t_load').then(() => scenario('load', { target: 't_load', file: 'extract.csv' })),
    ]);
    table.push(
      [`CSV → MySQL ${n}, mariadb LOAD DATA LOCAL INFILE`, ...figures(loadClient), '1.00×', ''],
      [
        `CSV → MySQL ${n}, mysql.write({ rows: fs.read(…) })`,
        ...figures(loadGeneric),
        ratio(loadClient, loadGeneric, 0.85),
        mb(loadGeneric.peakRssBytes),
      ],
    );

    // 3. MySQL → MySQL
    await admin.query(`CREATE DATABASE \`${copies}\` CHARACTER SET utf8mb4`);
    await admin.query('CREATE TABLE t_copy LIKE t');
    const [dumped, copied] = await rounds([
      () => client(`${toolCommand(DUMP, '--single-transaction', database, 't')} | ${clientCommand(copies)}`),
      () => emptied('t_copy').then(() => scenario('copy', { table: 't', target: 't_copy' })),
    ]);
    table.push(
      [`MySQL → MySQL ${n}, mariadb-dump | mariadb`, ...figures(dumped), '1.00×', ''],
      [
        `MySQL → MySQL ${n}, mysql.write({ rows: mysql.read({ table }) })`,
        ...figures(copied),
        ratio(dumped, copied, 0.5),
        mb(copied.peakRssBytes),
      ],
    );
    const [sums] = await admin.query(`CHECKSUM TABLE t, t_client, t_load, t_copy, \`${copies}\`.t`);
    const checksums = (sums as Array<{ Checksum: number }>).map((row) => row.Checksum);

    // 4. user code iterating rows
    const [bareRows, objectRows] = await rounds([
      () => scenario('iterate-mysql2', { table: 't' }),
      () => scenario('iterate-objects', { table: 't' }),
    ]);
    table.push(
      [
        `iterate ${n} row objects, bare mysql2 stream`,
        ...figures(bareRows),
        '1.00×',
        mb(bareRows.peakRssBytes),
      ],
      [
        `iterate ${n} row objects, for await (… of mysql.read({ table }))`,
        ...figures(objectRows),
        ratio(bareRows, objectRows),
        mb(objectRows.peakRssBytes),
      ],
    );

    // 3. SELECT 1
    const [bare, ours] = await rounds([
      () => scenario('select1-mysql2', { count: SELECTS, concurrency: CONCURRENCY }),
      () => scenario('select1-osiris', { count: SELECTS, concurrency: CONCURRENCY }),
    ]);
    table.push(
      ['20k SELECT 1 at concurrency 8, bare mysql2 pool', ...figures(bare, 'q/s'), '1.00×', ''],
      [
        '20k SELECT 1 at concurrency 8, connector query()',
        ...figures(ours, 'q/s'),
        ratio(bare, ours, 0.9),
        '',
      ],
    );
    printTable(['scenario', 'time', 'throughput', 'vs baseline', 'peak RSS'], table);
    process.stdout.write(
      `\nload average (1/5/15 min) at the start: ${loadAtStart}; at the end: ${loadAverage()}\n`,
    );
    const same = new Set(checksums).size === 1;
    process.stdout.write(
      `\nCSV ${mb(csvBytes)}; CHECKSUM TABLE original / client load / write() load / write() copy / dump copy: ${checksums.join(' / ')} (${same ? 'equal' : 'DIFFERENT'})\n`,
    );
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS \`${database}\``);
    await admin.query(`DROP DATABASE IF EXISTS \`${copies}\``);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
}

/** The first line of a file (its CSV header). */
async function firstLine(path: string): Promise<string> {
  const file = await open(path);
  try {
    const { buffer, bytesRead } = await file.read(Buffer.alloc(4_096), 0, 4_096, 0);
    return buffer.subarray(0, bytesRead).toString('utf8').split('\n')[0] as string;
  } finally {
    await file.close();
  }
}

const shellWord = (text: string) => `'${text.replaceAll("'", "'\\''")}'`;
const sqlText = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(0)} MB`;
const figures = (result: ScenarioResult, unit = 'rows/s') => [
  `${(result.ms / 1000).toFixed(2)} s`,
  `${Math.round(result.rows / (result.ms / 1000)).toLocaleString('en')} ${unit}`,
];
/** Throughput relative to the baseline, with the target it must reach. */
const ratio = (baseline: ScenarioResult, ours: ScenarioResult, target?: number) => {
  const value = ours.rows / ours.ms / (baseline.rows / baseline.ms);
  const verdict = target === undefined ? '' : ` (target ≥ ${target}: ${value >= target ? 'met' : 'MISSED'})`;
  return `${value.toFixed(2)}×${verdict}`;
};

await main();
