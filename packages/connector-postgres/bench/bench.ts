/**
 * connector-postgres against the tools a user would otherwise reach for, in one run, 1,000,000 rows of 10
 * mixed columns (BENCH_ROWS), reported as ratios to `psql \copy` (higher is faster):
 *   1. PostgreSQL → file: psql `\copy … TO file`; pg + pg-copy-streams and postgres (porsager) streaming COPY
 *      TO STDOUT into a file (the driver choice); connector-postgres read() → connector-fs CSV (the contract);
 *      the postgres side alone: read().positional() drained (the fast lane), read() row objects drained (user
 *      iteration);
 *   2. file → PostgreSQL: psql `\copy … FROM file`; both drivers piping the file into COPY FROM STDIN;
 *      connector-fs CSV read → connector-postgres write() (the contract); the postgres side alone: positional
 *      batches of the same rows made in memory → write() (the fast lane), and what making them costs alone.
 * Each Node measurement runs in a process of its own (its peak RSS is its own); contenders take turns for
 * BENCH_ROUNDS rounds and the best time counts. DATABASE_URL picks the server; the bench database is dropped.
 * Run: `pnpm --filter @osiris/connector-postgres bench`.
 */
import { execFile } from 'node:child_process';
import { mkdir, rm } from 'node:fs/promises';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createPostgresDatabase } from '@osiris/test-services';
import { measureInChild } from '@osiris/test-services/measure-in-child';
import type { ScenarioArgs, ScenarioResult } from './scenarios.js';

const ROWS = Number(process.env.BENCH_ROWS ?? 1_000_000);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 2);
const dir = join(import.meta.dirname, '..', '.bench-data');
const run = promisify(execFile);

const TABLE = `
  CREATE TABLE bench (
    id bigint PRIMARY KEY, customer text NOT NULL, email text, amount numeric(12,2) NOT NULL,
    score double precision NOT NULL, quantity integer NOT NULL, active boolean NOT NULL,
    created_at timestamptz(3) NOT NULL, day date NOT NULL, note text);
  CREATE TABLE bench_in (LIKE bench);`;

const FILL = `
  INSERT INTO bench
  SELECT g, 'customer ' || (g % 5000), CASE WHEN g % 7 = 0 THEN NULL ELSE 'user' || g || '@example.com' END,
         round((g % 100000) / 100.0, 2), g / 7.0, g % 1000, g % 2 = 0,
         timestamptz '2024-01-01 00:00:00+00' + g * interval '1 second', date '2020-01-01' + (g % 2000),
         CASE WHEN g % 3 = 0 THEN NULL ELSE 'note, "quoted"\t' || g END
    FROM generate_series(1, $1::int) g`;

async function main() {
  const db = await createPostgresDatabase('osiris_bench');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  try {
    await db.sql(TABLE);
    await db.sql(FILL, [ROWS]);
    await db.sql('VACUUM ANALYZE bench');
    const args = (table: string, file: string): ScenarioArgs => ({ url: db.url, dir, table, file });
    const psql = async (command: string) => {
      const started = performance.now();
      await run('psql', [db.url, '-X', '-q', '-c', command]);
      return { ms: performance.now() - started, rows: ROWS, peakRssBytes: Number.NaN };
    };
    const node = (scenario: string, scenarioArgs: ScenarioArgs) =>
      measureInChild<ScenarioResult>([
        '--import',
        'tsx',
        join(import.meta.dirname, 'scenarios.ts'),
        scenario,
        JSON.stringify(scenarioArgs),
      ]);

    const exportFile = join(dir, 'psql-out.txt');
    const size = `${ROWS.toLocaleString('en')} rows × 10 columns`;
    const contenders: Record<string, Record<string, () => Promise<ScenarioResult>>> = {
      [`PostgreSQL → file (${size})`]: {
        'psql \\copy TO file': () => psql(`\\copy bench TO '${exportFile}'`),
        'pg + pg-copy-streams COPY TO STDOUT → file': () => node('out-pg', args('bench', 'pg-out.txt')),
        'postgres (porsager) COPY TO STDOUT → file': () =>
          node('out-postgres', args('bench', 'postgres-out.txt')),
        'connector-postgres read() → connector-fs CSV': () =>
          node('out-connector', args('bench', 'connector-out.csv')),
        'connector-postgres read().positional() drained': () => node('out-lane', args('bench', '')),
        'connector-postgres read() row objects drained': () => node('out-objects', args('bench', '')),
      },
      [`file → PostgreSQL (${size})`]: {
        'psql \\copy FROM file': () => truncateThen(() => psql(`\\copy bench_in FROM '${exportFile}'`)),
        'pg + pg-copy-streams COPY FROM STDIN': () =>
          truncateThen(() => node('in-pg', args('bench_in', 'psql-out.txt'))),
        'postgres (porsager) COPY FROM STDIN': () =>
          truncateThen(() => node('in-postgres', args('bench_in', 'psql-out.txt'))),
        'connector-fs CSV → connector-postgres write()': () =>
          truncateThen(() => node('in-connector', args('bench_in', 'connector-out.csv'))),
        'memory positional → connector-postgres write()': () =>
          truncateThen(() => node('in-lane', args('bench_in', ''))),
        '(making those batches alone, nothing written)': () => node('in-generated', args('bench_in', '')),
      },
    };
    async function truncateThen(measure: () => Promise<ScenarioResult>) {
      await db.sql('TRUNCATE bench_in');
      return measure();
    }

    const load = loadavg()
      .map((value) => value.toFixed(2))
      .join(' ');
    console.log(
      `\nconnector-postgres bench: ${ROWS.toLocaleString('en')} rows, best of ${ROUNDS} rounds, load average at start ${load}\n`,
    );
    for (const [title, group] of Object.entries(contenders)) {
      const best: Record<string, ScenarioResult> = {};
      for (let round = 0; round < ROUNDS; round++) {
        for (const [name, measure] of Object.entries(group)) {
          const result = await measure();
          if (result.rows !== ROWS) throw new Error(`${name} moved ${result.rows} rows, expected ${ROWS}`);
          if (best[name] === undefined || result.ms < (best[name] as ScenarioResult).ms) best[name] = result;
        }
      }
      const baseline = Object.values(best)[0] as ScenarioResult;
      console.log(`${title}`);
      for (const [name, result] of Object.entries(best)) {
        const rss = Number.isNaN(result.peakRssBytes)
          ? ''
          : `, peak RSS ${Math.round(result.peakRssBytes / 2 ** 20)} MB`;
        console.log(
          `  ${name.padEnd(48)} ${(result.ms / 1000).toFixed(2).padStart(6)} s  ${(baseline.ms / result.ms).toFixed(2)}× psql${rss}`,
        );
      }
      console.log('');
    }
    console.log(
      `load average at end ${loadavg()
        .map((value) => value.toFixed(2))
        .join(' ')}`,
    );
  } finally {
    await rm(dir, { recursive: true, force: true });
    await db.drop();
  }
}

await main();
