/** One `LOAD DATA LOCAL INFILE` fed from the batches as the socket drains, and the error its warnings mean. */
import { Readable } from 'node:stream';
import { type CanonicalValue, ConnectorError } from '@osiris/core';
import { classifyMysqlError } from '../errors.js';
import type { ServerConnection } from '../server-connection.js';
import { quoteIdentifier } from '../sql.js';
import { tsvField } from './encode.js';

/** Rows encoded per chunk handed to the socket (a chunk becomes one protocol packet). */
const ROWS_PER_CHUNK = 512;

/**
 * Streams batches of positional rows (values in `columns` order, spelled for MySQL) into `table` through one
 * `LOAD DATA LOCAL INFILE`, encoded chunk by chunk as the socket takes them (a batch is pulled from `batches`
 * only once the socket has drained); the caller holds a transaction. A batch that throws (a refused value, an
 * abort) ends the file and fails the statement; LOCAL turns rejected rows into warnings, so any warning fails
 * it too (the caller rolls back). Resolves with the rows loaded.
 */
export async function loadRows(
  connection: ServerConnection,
  batches: AsyncIterable<readonly CanonicalValue[][]>,
  target: { table: string; columns: readonly string[] },
): Promise<number> {
  let sent = 0;
  // One statement may stream for long: it is bounded by the server's silence, not its length. The watchdog is
  // armed until the server asks for the file, for each chunk until the socket has taken it, and for the answer
  // to the file's end; never while the source prepares a batch (the source's time is not the server's).
  let stop = connection.watchdog();
  async function* encoded(): AsyncGenerator<Buffer> {
    stop();
    for await (const rows of batches) {
      for (let start = 0; start < rows.length; start += ROWS_PER_CHUNK) {
        stop = connection.watchdog();
        await connection.drained();
        yield encodeRows(rows, start, Math.min(start + ROWS_PER_CHUNK, rows.length));
        stop();
      }
      sent += rows.length;
    }
    stop = connection.watchdog();
  }
  const names = target.columns.map((column) => quoteIdentifier(column, 'column name')).join(', ');
  let file: Readable | undefined;
  try {
    const { rows: result } = await connection.run(
      `LOAD DATA LOCAL INFILE 'osiris-rows' INTO TABLE ${quoteIdentifier(target.table, 'table name')}
         CHARACTER SET binary FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${names})`,
      undefined,
      {
        timeoutMs: null,
        infileStreamFactory: () => {
          file = Readable.from(encoded(), { objectMode: false });
          return file;
        },
      },
    );
    const { affectedRows, warningStatus } = result as { affectedRows: number; warningStatus: number };
    if (warningStatus > 0 || affectedRows !== sent) {
      throw await rejectedRows(connection, {
        rowsSent: sent,
        rowsLoaded: affectedRows,
        warnings: warningStatus,
      });
    }
    return affectedRows;
  } finally {
    stop();
    // A statement that failed on the server leaves the file unread: stop it, which stops the source too.
    file?.destroy();
  }
}

/**
 * The error for a LOAD DATA LOCAL that reported warnings (LOCAL turns rejected rows into warnings): the
 * first warning is what an INSERT would have failed with, classified the same way.
 */
export async function rejectedRows(
  connection: ServerConnection,
  details: Record<string, number>,
): Promise<ConnectorError> {
  const { rows: warnings } = await connection.run('SHOW WARNINGS LIMIT 3');
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

/** Rows `from`…`to` as LOAD DATA text: tab-separated fields, newline-terminated lines. */
function encodeRows(rows: readonly CanonicalValue[][], from: number, to: number): Buffer {
  let text = '';
  let parts: Buffer[] | undefined;
  for (let r = from; r < to; r++) {
    const row = rows[r] as CanonicalValue[];
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
