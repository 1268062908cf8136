import type { Row } from '@osiris/core';
import { describe, expect, test } from 'vitest';
import { failure, useSupabase } from './support.js';

const { service, connect, tables } = useSupabase();
const T = tables('resilient', 'log_lines', 'audit', 'ledger');

const count = async (table: string) =>
  Number((await service().sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);

const rows = (from: number, n: number): Row[] => Array.from({ length: n }, (_, i) => ({ id: from + i }));

/** Yields `first`; once it is written, stops the API (bringing it back `downMs` later), then yields `rest`. */
async function* outageBetween(first: Row[], rest: Row[], written: () => number, downMs: number) {
  yield first;
  while (written() < 1) await new Promise((resolve) => setTimeout(resolve, 10));
  await service().kill();
  setTimeout(() => void service().restart(), downMs);
  yield rest;
}

/** A table whose first insert statement sleeps `seconds` (a sequence counts attempts across transactions). */
async function slowOnce(table: string, seconds: number, key: string) {
  const sql = service().sql;
  await sql(`CREATE TABLE ${table} (id int ${key})`);
  await sql(`CREATE SEQUENCE ${table}_attempts`);
  await sql(`CREATE FUNCTION ${table}_slow() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN IF nextval('${table}_attempts') = 1 THEN PERFORM pg_sleep(${seconds}); END IF; RETURN NULL; END $$`);
  await sql(
    `CREATE TRIGGER slow AFTER INSERT ON ${table} FOR EACH STATEMENT EXECUTE FUNCTION ${table}_slow()`,
  );
  await service().reloadSchema();
}

describe.runIf(!process.env.SUPABASE_URL)('transient failures', () => {
  test('an upsert survives the API going away between batches: it is retried until it is back', async () => {
    await service().sql(`CREATE TABLE ${T.resilient} (id int PRIMARY KEY)`);
    await service().reloadSchema();
    const connection = await connect({ batch_size: 100, concurrency: 1, retries: 8 });
    let written = 0;
    const result = await connection.write({
      table: T.resilient,
      mode: 'upsert',
      rows: outageBetween(rows(1, 100), rows(101, 200), () => written, 400),
      onProgress: (p) => (written = p.batches),
    });
    expect(result.rowsWritten).toBe(300);
    expect(result.retries).toBeGreaterThan(0);
    expect(await count(T.resilient)).toBe(300);
  });

  test('an append is retried when the connection was refused (the request never ran): no row twice', async () => {
    await service().sql(`CREATE TABLE ${T.log_lines} (id int)`);
    await service().reloadSchema();
    const connection = await connect({ batch_size: 100, concurrency: 1, retries: 8 });
    let written = 0;
    const result = await connection.write({
      table: T.log_lines,
      rows: outageBetween(rows(1, 100), rows(101, 200), () => written, 400),
      onProgress: (p) => (written = p.batches),
    });
    expect(result.retries).toBeGreaterThan(0);
    expect(await count(T.log_lines)).toBe(300);
    expect(
      Number((await service().sql(`SELECT count(DISTINCT id) AS n FROM ${T.log_lines}`)).rows[0]!.n),
    ).toBe(300);
  });

  test('an append that timed out after it was sent is not retried: the error says its rows may or may not be written', async () => {
    await slowOnce(T.audit, 2, '');
    const connection = await connect({ timeout: 1, batch_size: 50, concurrency: 1 });
    const error = await failure(connection.write({ table: T.audit, rows: [rows(1, 50)] }));
    expect(error).toMatchObject({ code: 'WRITE_FATE_UNKNOWN', category: 'timeout', retryable: false });
    expect(error.message).toContain('batch 1 (rows 1–50)');
    expect(error.hint).toContain('rows 1–50');
    // The request did reach the database: once the slow statement finishes, its rows are there, once.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await count(T.audit)).toBe(50);
  });

  test('an upsert whose request timed out is not retried past `timeout`: it fails once, and running it again leaves the table right', async () => {
    await slowOnce(T.ledger, 2, 'PRIMARY KEY');
    const connection = await connect({ timeout: 1, batch_size: 50, concurrency: 1, retries: 4 });
    const error = await failure(connection.write({ table: T.ledger, mode: 'upsert', rows: [rows(1, 50)] }));
    expect(error).toMatchObject({ code: 'OPERATION_TIMEOUT', category: 'timeout', retryable: true });
    expect(error.message).toContain('upsert batch 1 (rows 1–50)');
    expect(error.message).toContain('no answer within the 1 s `timeout` (1 attempt)');
    // The slow statement finishes on its own; the user's retry is safe and completes the table.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await connection.write({ table: T.ledger, mode: 'upsert', rows: [rows(1, 50)] });
    expect(await count(T.ledger)).toBe(50);
  });
});
