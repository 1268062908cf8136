import { Readable } from 'node:stream';
import { type CanonicalValue, ConnectorError } from '@osiris/core';
import { classifyMysqlError } from '../errors.js';
import type { Session } from '../session.js';
import { quoteIdentifier } from '../sql.js';
import { tsvField } from './encode.js';

/** Rows encoded per chunk handed to the socket (a chunk becomes one protocol packet). */
const ROWS_PER_CHUNK = 512;

/** Whether the server accepts `LOAD DATA LOCAL INFILE` (the client side offers it on writable connections). */
export async function localInfileEnabled(session: Session): Promise<boolean> {
  const { rows } = await session.run('SELECT @@GLOBAL.local_infile AS enabled');
  return Number((rows as Array<{ enabled: unknown }>)[0]?.enabled) === 1;
}

/**
 * Streams a batch of positional rows (values in `columns` order, spelled for MySQL) into `table` through one
 * `LOAD DATA LOCAL INFILE`, encoded chunk by chunk as the socket takes it; the caller holds a transaction. LOCAL turns rejected rows into warnings, so any warning fails
 * the batch (rolled back by the caller).
 */
export async function loadBatch(
  session: Session,
  rows: readonly CanonicalValue[][],
  target: { table: string; columns: readonly string[] },
): Promise<number> {
  const sent = rows.length;
  function* encoded(): Generator<Buffer> {
    for (let start = 0; start < rows.length; start += ROWS_PER_CHUNK) {
      yield encodeRows(rows.slice(start, start + ROWS_PER_CHUNK));
    }
  }
  const names = target.columns.map((column) => quoteIdentifier(column, 'column name')).join(', ');
  const { rows: result } = await session.run(
    `LOAD DATA LOCAL INFILE 'osiris-rows' INTO TABLE ${quoteIdentifier(target.table, 'table name')}
       CHARACTER SET binary FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${names})`,
    undefined,
    { infileStreamFactory: () => Readable.from(encoded(), { objectMode: false }) },
  );
  const { affectedRows, warningStatus } = result as { affectedRows: number; warningStatus: number };
  if (warningStatus > 0 || affectedRows !== sent) {
    throw await rejectedRows(session, { rowsSent: sent, rowsLoaded: affectedRows, warnings: warningStatus });
  }
  return affectedRows;
}

/**
 * The error for a LOAD DATA LOCAL that reported warnings (LOCAL turns rejected rows into warnings): the
 * first warning is what an INSERT would have failed with, classified the same way.
 */
export async function rejectedRows(
  session: Session,
  details: Record<string, number>,
): Promise<ConnectorError> {
  const { rows: warnings } = await session.run('SHOW WARNINGS LIMIT 3');
  const listed = warnings as Array<{ Code: number; Message: string }>;
  const text = listed.map((warning) => warning.Message).join('; ') || 'rows were skipped';
  const cause = Object.assign(new Error(`The server rejected rows of the batch: ${text}`), {
    errno: listed[0]?.Code,
  });
  const classified = classifyMysqlError(cause);
  return new ConnectorError(classified.message, {
    code: classified.code === 'QUERY_FAILED' ? 'LOAD_REJECTED' : classified.code,
    category: classified.category === 'internal' ? 'config' : classified.category,
    hint: classified.hint ?? 'Check the values against the column types and keys',
    details,
  });
}

/** Rows as LOAD DATA text: tab-separated fields, newline-terminated lines. */
function encodeRows(rows: readonly CanonicalValue[][]): Buffer {
  let text = '';
  let parts: Buffer[] | undefined;
  for (const row of rows) {
    for (let index = 0; index < row.length; index++) {
      const field = tsvField(row[index]);
      if (index > 0) text += '\t';
      if (typeof field === 'string') {
        text += field;
      } else {
        // Bytes of a binary value go in as they are; the text so far is flushed around them.
        parts ??= [];
        parts.push(Buffer.from(text), field);
        text = '';
      }
    }
    text += '\n';
  }
  if (parts === undefined) return Buffer.from(text);
  parts.push(Buffer.from(text));
  return Buffer.concat(parts);
}
