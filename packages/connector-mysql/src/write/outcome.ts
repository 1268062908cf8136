/**
 * What a failed write's error says: which batch failed, what was rolled back and what stays committed, or that a
 * COMMIT (or a replace's RENAME) went unanswered and its fate is unknown.
 */
import { ConnectorError } from '@osiris/core';
import { classifyMysqlError } from '../errors.js';
import { CommitUnanswered } from '../transaction.js';
import type { Destination } from './batches.js';

/** The error of a load, saying that none of it stays (one statement in one transaction), or that its fate is unknown. */
export function loadFailed(
  error: unknown,
  batch: number | undefined,
  rows: number,
  into: Destination,
): ConnectorError {
  if (error instanceof CommitUnanswered) return fateUnknown(error, into, { firstRow: 1, lastRow: rows });
  const where = batch === undefined ? '' : ` at batch ${batch}`;
  const outcome =
    into.kind === 'shadow'
      ? `the replace failed${where}; table ${into.table} is unchanged`
      : `the load was rolled back${where}; no row of this write is committed`;
  return annotated(error, outcome, { ...(batch !== undefined && { batch }), committedRows: 0 });
}

/** The batch's error, saying what was rolled back and what stays committed, or that the batch's fate is unknown. */
export function batchFailed(
  error: unknown,
  batch: number,
  committedRows: number,
  batchRows: number,
  into: Destination,
): ConnectorError {
  if (error instanceof CommitUnanswered) {
    return fateUnknown(error, into, {
      batch,
      firstRow: committedRows + 1,
      lastRow: committedRows + batchRows,
      committedRows,
    });
  }
  if (into.kind === 'shadow') {
    // The shadow's committed batches never reached the table: they are dropped with it.
    return annotated(error, `the replace failed at batch ${batch}; table ${into.table} is unchanged`, {
      batch,
      committedRows: 0,
    });
  }
  return annotated(
    error,
    `batch ${batch} rolled back; ${committedRows} rows of earlier batches stay committed`,
    { batch, committedRows },
  );
}

/** A RENAME the server may or may not have made: the table holds the old content or all the new rows, never a mix. */
export function swapUnanswered(error: CommitUnanswered, table: string): ConnectorError {
  return annotated(
    error.lost,
    `the connection broke during the swap: ${table} holds either its old content or all the new rows, never a mix; re-running the replace is safe`,
    {},
  );
}

/**
 * A COMMIT the server may or may not have made. In a replace's shadow it does not matter (the table is
 * untouched); an upsert may be re-run safely; an append is `WRITE_FATE_UNKNOWN` and not retryable, since
 * writing the rows again could store them twice.
 */
function fateUnknown(
  error: CommitUnanswered,
  into: Destination,
  details: { batch?: number; firstRow: number; lastRow: number; committedRows?: number },
): ConnectorError {
  const { batch, firstRow, lastRow } = details;
  const what = `rows ${firstRow}–${lastRow}${batch === undefined ? '' : ` (batch ${batch})`}`;
  if (into.kind === 'shadow') {
    return annotated(error.lost, `the replace failed before its swap; table ${into.table} is unchanged`, {
      committedRows: 0,
    });
  }
  if (into.upsert) {
    return annotated(
      error.lost,
      `the connection broke during the COMMIT of ${what}: they may or may not be stored; re-running the upsert is safe`,
      details,
    );
  }
  const classified = classifyMysqlError(error.lost);
  return new ConnectorError(
    `${classified.message} (the connection broke during the COMMIT of ${what}: they may or may not be in ${into.table})`,
    {
      code: 'WRITE_FATE_UNKNOWN',
      category: classified.category,
      hint: `Check whether ${what} are in the table before writing them again, or use mode 'upsert' (re-run safely)`,
      retryable: false,
      details: { ...classified.details, ...details },
      cause: error.lost,
    },
  );
}

function annotated(error: unknown, outcome: string, details: Record<string, number>): ConnectorError {
  const classified = classifyMysqlError(error);
  return new ConnectorError(`${classified.message} (${outcome})`, {
    code: classified.code,
    category: classified.category,
    hint: classified.hint,
    retryable: classified.retryable,
    details: { ...classified.details, ...details },
    cause: error,
  });
}
