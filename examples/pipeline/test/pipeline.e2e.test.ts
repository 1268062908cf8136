import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runPipelineFile } from '../src/runner.js';
import { CONNECTIONS, collectingLog, createWorld, PIPELINE, type PipelineWorld, SAMPLES } from './support.js';

let world: PipelineWorld;
let sample: Buffer;
beforeAll(async () => {
  world = await createWorld();
  sample = await readFile(join(SAMPLES, 'orders.csv'));
});
afterAll(() => world?.stop());

const run = (
  options: {
    pipeline?: string;
    env?: Record<string, string | undefined>;
    unavailable?: Map<string, string>;
  } = {},
) => {
  const log = collectingLog();
  const outcome = runPipelineFile({
    pipeline: options.pipeline ?? PIPELINE,
    connections: CONNECTIONS,
    env: options.env ?? world.env,
    unavailable: options.unavailable,
    log,
  });
  return outcome.then((result) => ({ ...result, log: log.text }));
};

/** The bundled sample's rows, as the test reads them itself (no quoted newlines in it). */
function sampleRows(): Record<string, string>[] {
  const [header, ...lines] = sample.toString('utf8').trimEnd().split('\n');
  const split = (line: string) =>
    [...line.matchAll(/("(?:[^"]|"")*"|[^,]*)(,|$)/g)]
      .slice(0, 6)
      .map(([, cell]) => (cell!.startsWith('"') ? cell!.slice(1, -1).replaceAll('""', '"') : cell!));
  const names = split(header!);
  return lines.map((line) => Object.fromEntries(split(line).map((cell, index) => [names[index]!, cell])));
}

/** The PostgreSQL table, as PostgreSQL spells it, equals the MariaDB table as MariaDB spells it (NULLs included). */
async function expectPostgresToHoldMariaDbRows() {
  const [mysqlRows] = await world.mysql.admin.query(
    `SELECT CAST(id AS CHAR) AS id, customer, CAST(amount AS CHAR) AS amount, status, note,
            CAST(created_at AS CHAR) AS created_at
       FROM \`${world.mysql.database}\`.orders ORDER BY id`,
  );
  const { rows } = await world.postgres.sql(
    'SELECT id::text, customer, amount::text, status, note, created_at::text FROM orders ORDER BY id',
  );
  expect(rows).toHaveLength(2000);
  expect(rows.filter((row) => row.note === null).length).toBeGreaterThan(0);
  expect(rows).toEqual(mysqlRows);
}

describe('the example pipeline, end to end against MariaDB, PostgreSQL and PostgREST', () => {
  test('MySQL table → CSV byte-identical to the sample it was seeded from → every row in PostgreSQL', async () => {
    const outcome = await run();
    expect(outcome.ok).toBe(true);
    expect(
      outcome.steps.map((step) => [step.name, step.status, step.from, step.result?.rowsWritten]),
    ).toEqual([
      ['orders-to-csv', 'ok', '@mysql.demo', 2000],
      ['csv-to-supabase', 'ok', '@filesystem.out', 2000],
      ['mysql-to-postgres', 'ok', '@mysql.demo', 2000],
    ]);
    expect(outcome.log).toContain('summary: 3 ok, 0 failed, 0 skipped');

    const [mysqlRows] = await world.mysql.admin.query(
      `SELECT COUNT(*) AS n, SUM(amount) AS total FROM \`${world.mysql.database}\`.orders`,
    );
    const expected = sampleRows();
    const total = expected.reduce((sum, row) => sum + Math.round(Number(row.amount) * 100), 0) / 100;
    expect(mysqlRows).toEqual([{ n: 2000, total: total.toFixed(2) }]);

    expect(await readFile(join(world.output, 'orders.csv'))).toEqual(sample);

    const { rows } = await world.supabase.sql<Record<string, string>>(
      `SELECT id::text, customer, amount::text, status, coalesce(note, '') AS note,
              to_char(created_at, 'YYYY-MM-DD"T"HH24:MI:SS') AS created_at
         FROM orders ORDER BY orders.id`,
    );
    expect(rows).toEqual(expected);
    const nulls = await world.supabase.sql<{ n: string }>(
      'SELECT count(*)::text AS n FROM orders WHERE note IS NULL',
    );
    expect(Number(nulls.rows[0]!.n)).toBe(expected.filter((row) => row.note === '').length);
  });

  test('MySQL → PostgreSQL: every row arrives exactly, PostgreSQL’s own text equal to MariaDB’s', async () => {
    await expectPostgresToHoldMariaDbRows();
  });

  test('running it again changes nothing (the Supabase step upserts, the PostgreSQL step replaces)', async () => {
    const outcome = await run();
    expect(outcome.ok).toBe(true);
    const { rows } = await world.supabase.sql<{ n: string }>('SELECT count(*)::text AS n FROM orders');
    expect(rows[0]!.n).toBe('2000');
    const direct = await world.postgres.sql<{ n: string }>('SELECT count(*)::text AS n FROM orders');
    expect(direct.rows[0]!.n).toBe('2000');
    expect(await readFile(join(world.output, 'orders.csv'))).toEqual(sample);
  });

  test('MariaDB known down: the first step reads its fallback, the bundled sample, to the same bytes', async () => {
    const outcome = await run({ unavailable: new Map([['@mysql.demo', 'is down']]) });
    expect(outcome.ok).toBe(true);
    expect(outcome.steps[0]).toMatchObject({
      status: 'ok',
      from: '@filesystem.samples',
      to: '@filesystem.out',
    });
    expect(await readFile(join(world.output, 'orders.csv'))).toEqual(sample);
    // The sample's text, brought into the PostgreSQL table's types, is the same rows as MariaDB's.
    expect(outcome.steps[2]).toMatchObject({ status: 'ok', from: '@filesystem.samples' });
    await expectPostgresToHoldMariaDbRows();
  });

  test('Supabase known down: its step is skipped with the reason, the CSV step still runs', async () => {
    const outcome = await run({ unavailable: new Map([['@supabase.demo', 'is down']]) });
    expect(outcome.ok).toBe(true);
    expect(outcome.steps.map((step) => step.status)).toEqual(['ok', 'skipped', 'ok']);
    expect(outcome.steps[1]!.reason).toBe('@supabase.demo is down');
    expect(outcome.log).toContain('– csv-to-supabase  skipped: @supabase.demo is down');
  });

  test('a needed connection failing doctor stops the run before any step, with doctor’s report', async () => {
    const csv = join(world.output, 'orders.csv');
    const before = (await stat(csv)).mtimeMs;
    const outcome = await run({ env: { ...world.env, SUPABASE_URL: 'http://127.0.0.1:9' } });
    expect(outcome.ok).toBe(false);
    expect(outcome.steps).toEqual([]);
    const supabase = outcome.doctor.results.find((result) => result.reference === '@supabase.demo');
    expect(supabase).toMatchObject({ status: 'failed', category: 'network' });
    expect(outcome.log).toMatch(/nothing ran:\n.*✗ {2}@supabase\.demo/s);
    expect((await stat(csv)).mtimeMs).toBe(before);
  });

  test('a failing step stops the run, and every connection is closed all the same', async () => {
    const broken = join(world.output, 'broken.yaml');
    const text = (await readFile(PIPELINE, 'utf8')).replace(
      'table: orders\n      mode: upsert',
      'table: no_such_table\n      mode: upsert',
    );
    await writeFile(broken, text);
    const outcome = await run({ pipeline: broken });
    expect(outcome.ok).toBe(false);
    expect(outcome.steps[1]).toMatchObject({
      status: 'failed',
      error: expect.objectContaining({ category: 'not_found' }),
    });
    expect(outcome.log).toMatch(/✗ csv-to-supabase {2}\S+: /);

    const [sessions] = await world.mysql.admin.query(
      'SELECT COUNT(*) AS n FROM information_schema.PROCESSLIST WHERE DB = ? AND ID <> CONNECTION_ID()',
      [world.mysql.database],
    );
    expect(sessions).toEqual([{ n: 0 }]);
  });
});
