/**
 * The `upsert` mode: `INSERT … ON DUPLICATE KEY UPDATE` of every non-key column, one transaction per source batch,
 * so that re-running it gives the same table (the plan has checked the table has a key, and chosen INSERTs).
 */
import { writeBatches } from './batches.js';
import type { Plan } from './plan.js';
import type { MysqlWriteResult } from './types.js';

/** Inserts the plan's rows, updating those whose key the table holds already. */
export async function upsertRows(plan: Plan): Promise<MysqlWriteResult> {
  const table = plan.request.table;
  if (plan.createStatement !== undefined) await plan.context.connection.run(plan.createStatement(table));
  return writeBatches(plan, { target: table, kind: 'table', table, upsert: true });
}
