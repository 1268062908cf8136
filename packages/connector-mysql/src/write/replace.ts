/**
 * The `replace` mode: the rows loaded into a fresh shadow table, swapped in with one RENAME TABLE, the old copy
 * dropped; tables whose triggers or foreign keys a swap would lose are refused.
 */
import { ConnectorError } from '@osiris/core';
import type { ServerConnection } from '../server-connection.js';
import { quoteIdentifier } from '../sql.js';
import { CommitUnanswered, unanswered } from '../transaction.js';
import { writeBatches } from './batches.js';
import { claimCompanions, dropStaleCompanions, releaseCompanions } from './companions.js';
import { swapUnanswered } from './outcome.js';
import type { Plan } from './plan.js';
import type { MysqlWriteResult } from './types.js';

/**
 * Loads the rows into a fresh shadow table, then swaps it in with one RENAME TABLE: readers see the old content
 * or the new, never an empty or partial table. On failure before the swap the shadow is dropped and the table
 * is untouched; once the RENAME has committed the replace has succeeded, whatever happens to the old copy
 * (a copy left behind, like a crashed replace's shadow, is dropped by the next replace of the table).
 */
export async function replaceTable(plan: Plan): Promise<MysqlWriteResult> {
  const { connection, schema } = plan.context;
  const table = plan.request.table;
  const target = quoteIdentifier(table);
  const create = plan.createStatement;
  if (create === undefined) await assertSwappable(connection, schema, table);
  const companions = await claimCompanions(connection, table);
  try {
    await dropStaleCompanions(connection, schema, table);
    const shadow = quoteIdentifier(companions.shadow);
    const old = quoteIdentifier(companions.old);
    await connection.run(
      create === undefined ? `CREATE TABLE ${shadow} LIKE ${target}` : create(companions.shadow),
    );
    let result: MysqlWriteResult;
    try {
      result = await writeBatches(plan, { target: companions.shadow, kind: 'shadow', table, upsert: false });
      await swap(
        connection,
        create === undefined ? `${target} TO ${old}, ${shadow} TO ${target}` : `${shadow} TO ${target}`,
      );
    } catch (error) {
      await connection.run(`DROP TABLE IF EXISTS ${shadow}`).catch(() => {});
      if (error instanceof CommitUnanswered) throw swapUnanswered(error, table);
      throw error;
    }
    const rowsDeleted = create === undefined ? await dropOld(connection, old) : 0;
    return {
      ...result,
      ...(rowsDeleted !== undefined && { rowsDeleted }),
      durationMs: performance.now() - plan.started,
    };
  } finally {
    await releaseCompanions(connection, companions);
  }
}

/** The RENAME of a replace; a connection lost before its answer leaves the swap's fate unknown. */
async function swap(connection: ServerConnection, renames: string): Promise<void> {
  try {
    await connection.run(`RENAME TABLE ${renames}`);
  } catch (error) {
    throw unanswered(connection, error);
  }
}

/** Counts and drops the swapped-out copy; after the swap a failure here is left to the next replace's sweep. */
async function dropOld(connection: ServerConnection, old: string): Promise<number | undefined> {
  try {
    const { rows } = await connection.run(`SELECT COUNT(*) AS n FROM ${old}`);
    await connection.run(`DROP TABLE ${old}`);
    return Number((rows as Array<{ n: bigint }>)[0]?.n ?? 0);
  } catch {
    return undefined;
  }
}

/** A swap would leave triggers and foreign keys behind with the old table: refuse rather than lose them. */
async function assertSwappable(connection: ServerConnection, schema: string, table: string): Promise<void> {
  const { rows } = await connection.run(
    `SELECT (SELECT COUNT(*) FROM information_schema.TRIGGERS
              WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ?) AS triggers,
            (SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS
              WHERE CONSTRAINT_SCHEMA = ? AND (TABLE_NAME = ? OR REFERENCED_TABLE_NAME = ?)) AS foreignKeys`,
    [schema, table, schema, table, table],
  );
  const found = (rows as Array<{ triggers: bigint; foreignKeys: bigint }>)[0];
  if (found !== undefined && (found.triggers > 0n || found.foreignKeys > 0n)) {
    throw new ConnectorError(
      `Table ${table} has triggers or foreign keys, which an atomic replace would drop`,
      {
        code: 'REPLACE_UNSUPPORTED',
        category: 'unsupported',
        hint: 'Use mode upsert, or empty the table yourself and append',
      },
    );
  }
}
