/**
 * The one transaction helper: a write's transaction (committed when its work succeeds) and a read-only
 * connection's (always rolled back, so nothing a statement did can stay), with what a lost COMMIT means.
 */
import { isFatal } from './errors.js';
import type { ServerConnection } from './server-connection.js';

/** How a transaction starts and ends: `commit` keeps what the work did, `read-only` never keeps anything. */
export type TransactionKind = 'commit' | 'read-only';

/**
 * Runs `work` in a transaction. A `commit` transaction is committed when the work succeeds and rolled back when it
 * throws; a connection lost while the COMMIT is under way leaves its fate unknown (the server may have committed
 * before the link broke), so that failure is a `CommitUnanswered`, never "rolled back". A `read-only` transaction
 * is rolled back either way.
 */
export async function inTransaction<T>(
  connection: ServerConnection,
  kind: TransactionKind,
  work: () => Promise<T>,
): Promise<T> {
  await connection.run(kind === 'read-only' ? 'START TRANSACTION READ ONLY' : 'START TRANSACTION');
  let value: T;
  try {
    value = await work();
  } catch (error) {
    await connection.run('ROLLBACK').catch(() => {});
    throw error;
  }
  if (kind === 'read-only') {
    await connection.run('ROLLBACK');
    return value;
  }
  try {
    await connection.run('COMMIT');
  } catch (error) {
    throw unanswered(connection, error);
  }
  return value;
}

/** A failed COMMIT (or RENAME) as a `CommitUnanswered` when the connection broke or was abandoned before the answer. */
export function unanswered(connection: ServerConnection, error: unknown): unknown {
  return isFatal(error) || connection.broken ? new CommitUnanswered(error) : error;
}

/** A COMMIT (or the RENAME of a replace) sent on a connection that broke before the server answered. */
export class CommitUnanswered extends Error {
  constructor(readonly lost: unknown) {
    super('The connection was lost before the server answered the COMMIT', { cause: lost });
  }
}
