/**
 * The batching every mode shares: the rows of a plan written into one destination, through one LOAD DATA for the
 * whole write or as INSERTs with each source batch in its own transaction, with progress and a result.
 */
import { type WriteProgress, withTimeout } from '@osiris/core';
import { inTransaction } from '../transaction.js';
import { type BatchOutcome, insertBatch } from './insert.js';
import { loadRows } from './load-data.js';
import { batchFailed, loadFailed } from './outcome.js';
import type { Plan, Prepared } from './plan.js';
import type { MysqlWriteResult } from './types.js';

/** Where a write's statements go: the user's table, or the shadow a replace swaps in. */
export interface Destination {
  /** The table the statements write into. */
  target: string;
  /** `shadow`: a replace's copy, whose failures leave the user's table unchanged. */
  kind: 'table' | 'shadow';
  /** The user's table, as errors name it. */
  table: string;
  /** INSERT … ON DUPLICATE KEY UPDATE (re-running it is safe). */
  upsert: boolean;
}

/**
 * Writes the rows into `table`: through one LOAD DATA statement in one transaction, or as INSERTs with every
 * source batch in its own transaction (a failed batch is rolled back and ends the write).
 */
export function writeBatches(plan: Plan, into: Destination): Promise<MysqlWriteResult> {
  return plan.method === 'load-data' ? loadAll(plan, into) : insertBatches(plan, into);
}

/**
 * Streams every batch through one `LOAD DATA LOCAL INFILE` in one transaction: all rows or none. Each batch is
 * converted and checked as the socket asks for it, so a refused value ends the file and rolls the whole load back.
 */
async function loadAll(plan: Plan, into: Destination): Promise<MysqlWriteResult> {
  const { connection, signal } = plan.context;
  let batches = 0;
  let rows = 0;
  /** The batch the source or its check failed in (a server-side rejection belongs to no one batch). */
  let failedBatch: number | undefined;
  // A stalled source must not hold an aborted load open: waiting for its next batch ends with the abort.
  const nextBatch = () => withTimeout(() => plan.reader.next(), { ms: undefined, signal });
  async function* prepared(): AsyncGenerator<Prepared> {
    for (let batch = await nextBatch(); batch !== undefined; batch = await nextBatch()) {
      let values: Prepared;
      try {
        signal.throwIfAborted();
        values = batch === plan.first?.batch ? plan.first.rows : plan.prepare(batch, rows);
      } catch (error) {
        failedBatch = batches + 1;
        throw error;
      }
      yield values;
      batches += 1;
      rows += batch.length;
      plan.request.onProgress?.(progress(batches, rows, plan.started));
    }
  }
  let inserted: number;
  try {
    inserted = await inTransaction(connection, 'commit', () =>
      loadRows(connection, prepared(), { table: into.target, columns: plan.columns }),
    );
  } catch (error) {
    throw loadFailed(error, failedBatch, rows, into);
  }
  return {
    rowsWritten: inserted,
    rowsInserted: inserted,
    rowsUpdated: 0,
    batches,
    durationMs: performance.now() - plan.started,
    method: 'load-data',
    fastLane: plan.fastLane,
  };
}

/** Runs every source batch as INSERTs in its own transaction; a failed batch is rolled back and ends the write. */
async function insertBatches(plan: Plan, into: Destination): Promise<MysqlWriteResult> {
  const { connection, signal } = plan.context;
  const totals: BatchOutcome = { inserted: 0, updated: 0 };
  let batches = 0;
  let rows = 0;
  let upcoming = plan.reader.next();
  for (let batch = await upcoming; batch !== undefined; batch = await upcoming) {
    // The source prepares the next batch (parses, fetches) while the server stores this one.
    upcoming = plan.reader.next();
    upcoming.catch(() => {});
    signal.throwIfAborted();
    let outcome: BatchOutcome;
    try {
      // A refused value of a later batch is reported like a failed batch: earlier ones stay committed.
      const values = batch === plan.first?.batch ? plan.first.rows : plan.prepare(batch, rows);
      outcome = await inTransaction(connection, 'commit', () =>
        insertBatch(
          connection,
          {
            table: into.target,
            columns: plan.columns,
            upsert: into.upsert,
            keyColumns: plan.keyColumns,
            maxPacketBytes: plan.maxPacketBytes,
            maxRows: plan.batchSize,
          },
          values,
        ),
      );
    } catch (error) {
      throw batchFailed(error, batches + 1, rows, batch.length, into);
    }
    batches += 1;
    rows += batch.length;
    totals.inserted += outcome.inserted;
    totals.updated += outcome.updated;
    plan.request.onProgress?.(progress(batches, rows, plan.started));
  }
  return {
    rowsWritten: rows,
    rowsInserted: totals.inserted,
    rowsUpdated: totals.updated,
    batches,
    durationMs: performance.now() - plan.started,
    method: 'insert',
    fastLane: plan.fastLane,
  };
}

function progress(batches: number, rows: number, started: number): WriteProgress {
  return { batches, rows, elapsedMs: performance.now() - started };
}

export function emptyResult(started: number, fastLane: boolean): MysqlWriteResult {
  return {
    rowsWritten: 0,
    rowsInserted: 0,
    rowsUpdated: 0,
    batches: 0,
    durationMs: performance.now() - started,
    method: 'insert',
    fastLane,
  };
}
