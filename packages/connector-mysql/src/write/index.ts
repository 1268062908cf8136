/**
 * `write()`: the request's rows taken through core's `sinkInput()`, planned (plan.ts), then written by the mode's
 * own file (append.ts, upsert.ts, replace.ts) with the session in UTC; the source is closed however it ends.
 */
import { sinkInput } from '@osiris/core';
import type { ServerConnection } from '../server-connection.js';
import { quoteIdentifier } from '../sql.js';
import { UTC } from '../values.js';
import { appendRows } from './append.js';
import { BatchReader } from './batch-reader.js';
import { emptyResult } from './batches.js';
import { invalid, type Plan, planWrite, type WriteContext, withMysqlType } from './plan.js';
import { replaceTable } from './replace.js';
import type { MysqlWriteRequest, MysqlWriteResult, WriteMode } from './types.js';
import { upsertRows } from './upsert.js';

export type { MysqlWriteRequest, MysqlWriteResult, WriteMethod, WriteMode } from './types.js';

/** Each mode's writer. */
const WRITERS: Record<WriteMode, (plan: Plan) => Promise<MysqlWriteResult>> = {
  append: appendRows,
  upsert: upsertRows,
  replace: replaceTable,
};

/** Writes the request's rows; see `MysqlWriteRequest` for the modes and what each guarantees. */
export async function writeRows(
  context: WriteContext,
  request: MysqlWriteRequest,
): Promise<MysqlWriteResult> {
  const started = performance.now();
  const mode = request.mode ?? 'append';
  if (!Object.hasOwn(WRITERS, mode)) {
    throw invalid(`Unknown write mode ${JSON.stringify(mode)}`, "Use 'append', 'replace' or 'upsert'");
  }
  quoteIdentifier(request.table, 'table name');
  // The columns (declared, the source's, or the first batch's) and the rows as positional batches in their order.
  const input = await sinkInput({ columns: request.columns?.map(withMysqlType), rows: request.rows });
  const reader = new BatchReader(input.batches);
  try {
    const plan = await planWrite(context, request, mode, input, reader, started);
    if (plan === undefined) return emptyResult(started, input.fastLane);
    return await inUtcSession(context.connection, () => WRITERS[mode](plan));
  } finally {
    // After an abort the source may be stalled inside its next batch, and an async generator runs its
    // `finally` only once that settles: the source is closed then, without holding the aborted write.
    const closing = reader.close().then(() => input.close());
    if (context.signal.aborted) closing.catch(() => {});
    else await closing;
  }
}

/**
 * Runs a write with the session in UTC, so that a canonical instant (`…Z`) is the TIMESTAMP text the
 * server reads; the session's own zone is restored after.
 */
async function inUtcSession<T>(connection: ServerConnection, work: () => Promise<T>): Promise<T> {
  if (connection.timeZone === UTC) return work();
  await connection.run('SET SESSION time_zone = ?', [UTC]);
  try {
    return await work();
  } finally {
    // A session left in UTC would misread TIMESTAMPs later: if the zone cannot be restored, retire it.
    await connection.run('SET SESSION time_zone = ?', [connection.timeZone]).catch(() => {
      connection.broken = true;
    });
  }
}
