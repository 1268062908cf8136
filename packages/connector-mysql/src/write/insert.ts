/** Multi-row INSERTs (and upserts) of one batch, sized by rows and by max_allowed_packet, with their counts. */
import { type CanonicalValue, ConnectorError } from '@osiris/core';
import type { ServerConnection } from '../server-connection.js';
import { quoteIdentifier } from '../sql.js';
import { sqlLiteral } from './encode.js';

/** What one batch did. */
export interface BatchOutcome {
  /** Rows inserted as new. */
  inserted: number;
  /** Existing rows that an upsert matched (updated, or already equal). */
  updated: number;
}

/** Where and how multi-row INSERTs go. */
export interface InsertTarget {
  /** Table to insert into. */
  table: string;
  /** Columns written, in order. */
  columns: readonly string[];
  /** `ON DUPLICATE KEY UPDATE` of every non-key column. */
  upsert: boolean;
  /** Key columns (left alone by an upsert). */
  keyColumns: readonly string[];
  /** The server's max_allowed_packet, in bytes. */
  maxPacketBytes: number;
  /** Rows per statement at most. */
  maxRows: number;
}

/** Bytes reserved in a packet for the statement header and the ON DUPLICATE KEY clause's slack. */
const PACKET_SLACK = 4096;

/**
 * Writes one batch of positional rows (values in `columns` order, spelled for MySQL) as multi-row INSERTs
 * sized by rows and by the server's packet limit; the caller holds a transaction.
 */
export async function insertBatch(
  connection: ServerConnection,
  target: InsertTarget,
  rows: readonly CanonicalValue[][],
): Promise<BatchOutcome> {
  const outcome: BatchOutcome = { inserted: 0, updated: 0 };
  const { prefix, suffix } = statementParts(target);
  // A UTF-16 code unit is at most 3 UTF-8 bytes: a statement of this many characters always fits.
  const budget = Math.floor((target.maxPacketBytes - PACKET_SLACK - suffix.length * 3) / 3) - prefix.length;
  let tuples: string[] = [];
  let length = 0;
  let count = 0;
  const flush = async () => {
    if (count === 0) return;
    const { rows: result } = await connection.run(`${prefix}${tuples.join(',')}${suffix}`);
    countInto(outcome, result as OkPacket, count, target.upsert);
    tuples = [];
    length = 0;
    count = 0;
  };
  for (const row of rows) {
    const tuple = `(${row.map(sqlLiteral).join(',')})`;
    if (count > 0 && (length + tuple.length + 1 > budget || count >= target.maxRows)) await flush();
    if (tuple.length > budget && Buffer.byteLength(prefix + tuple + suffix) > target.maxPacketBytes - 1024) {
      throw new ConnectorError(
        `A row is larger than the server's max_allowed_packet (${target.maxPacketBytes} bytes)`,
        {
          code: 'PACKET_TOO_LARGE',
          category: 'config',
          hint: 'Raise max_allowed_packet on the server, or split the large value',
        },
      );
    }
    tuples.push(tuple);
    length += tuple.length + 1;
    count += 1;
  }
  await flush();
  return outcome;
}

function statementParts(target: InsertTarget): { prefix: string; suffix: string } {
  const names = target.columns.map((column) => quoteIdentifier(column, 'column name'));
  const prefix = `INSERT INTO ${quoteIdentifier(target.table, 'table name')} (${names.join(', ')}) VALUES `;
  if (!target.upsert) return { prefix, suffix: '' };
  const keys = new Set(target.keyColumns);
  const updates = target.columns
    .filter((column) => !keys.has(column))
    .map((column) => quoteIdentifier(column));
  // With only key columns there is nothing to update; assigning a key to itself keeps the row as it is.
  const assignments =
    updates.length > 0 ? updates.map((name) => `${name} = VALUES(${name})`) : [`${names[0]} = ${names[0]}`];
  return { prefix, suffix: ` ON DUPLICATE KEY UPDATE ${assignments.join(', ')}` };
}

interface OkPacket {
  affectedRows: number;
  info?: string;
}

const DUPLICATES = /Duplicates:\s*(\d+)/;

/**
 * Splits a statement's count into inserted rows and rows that matched an existing key. Without CLIENT_FOUND_ROWS
 * an inserted row counts 1, a changed row 2 (also reported as `Duplicates` in `info`) and an unchanged row 0.
 */
function countInto(outcome: BatchOutcome, result: OkPacket, rows: number, upsert: boolean): void {
  if (!upsert) {
    outcome.inserted += result.affectedRows;
    return;
  }
  const match = DUPLICATES.exec(result.info ?? '');
  const changed = match ? Number(match[1]) : result.affectedRows === 2 ? 1 : 0;
  const inserted = result.affectedRows - 2 * changed;
  outcome.inserted += inserted;
  outcome.updated += rows - inserted;
}
