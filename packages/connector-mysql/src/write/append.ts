/**
 * The `append` mode: the rows added to the table (created first with `createIfMissing`), all in one LOAD DATA
 * transaction or one INSERT transaction per source batch (see batches.ts).
 */
import { writeBatches } from './batches.js';
import type { Plan } from './plan.js';
import type { MysqlWriteResult } from './types.js';

/** Appends the plan's rows to its table. */
export async function appendRows(plan: Plan): Promise<MysqlWriteResult> {
  const table = plan.request.table;
  if (plan.createStatement !== undefined) await plan.context.connection.run(plan.createStatement(table));
  return writeBatches(plan, { target: table, kind: 'table', table, upsert: false });
}
