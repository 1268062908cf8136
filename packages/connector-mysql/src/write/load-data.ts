import { Readable } from 'node:stream';
import { ConnectorError, type Row } from '@osiris/core';
import type { Session } from '../session.js';
import { quoteIdentifier } from '../sql.js';
import { tsvField } from './encode.js';
import type { RowReader } from './row-reader.js';

/** Rows encoded per chunk handed to the socket (a chunk becomes one protocol packet). */
const ROWS_PER_CHUNK = 512;

/** Whether the server accepts `LOAD DATA LOCAL INFILE` (the client side offers it on writable connections). */
export async function localInfileEnabled(session: Session): Promise<boolean> {
  const { rows } = await session.run('SELECT @@GLOBAL.local_infile AS enabled');
  return Number((rows as Array<{ enabled: unknown }>)[0]?.enabled) === 1;
}

/**
 * Streams up to `maxRows` rows from `reader` into `table` through one `LOAD DATA LOCAL INFILE`; the caller
 * holds a transaction. LOCAL turns rejected rows into warnings, so any warning fails the batch (rolled back by the caller).
 */
export async function loadBatch(
  session: Session,
  reader: RowReader,
  target: { table: string; columns: readonly string[]; timezone: string },
  maxRows: number,
): Promise<number> {
  const { columns, timezone } = target;
  let sent = 0;
  async function* encoded(): AsyncGenerator<Buffer> {
    while (sent < maxRows) {
      const rows = await reader.take(Math.min(ROWS_PER_CHUNK, maxRows - sent));
      if (rows.length === 0) return;
      sent += rows.length;
      yield encodeRows(rows, columns, timezone);
    }
  }
  const names = columns.map((column) => quoteIdentifier(column, 'column name')).join(', ');
  const { rows: result } = await session.run(
    `LOAD DATA LOCAL INFILE 'osiris-rows' INTO TABLE ${quoteIdentifier(target.table, 'table name')}
       CHARACTER SET binary FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' (${names})`,
    undefined,
    { infileStreamFactory: () => Readable.from(encoded(), { objectMode: false }) },
  );
  const { affectedRows, warningStatus } = result as { affectedRows: number; warningStatus: number };
  if (warningStatus > 0 || affectedRows !== sent) {
    const { rows: warnings } = await session.run('SHOW WARNINGS LIMIT 3');
    const text = (warnings as Array<{ Message: string }>).map((warning) => warning.Message).join('; ');
    throw new ConnectorError(
      `The server rejected rows of the batch: ${text || `${sent - affectedRows} rows skipped`}`,
      {
        code: 'LOAD_REJECTED',
        category: 'config',
        hint: 'Check the values against the column types and keys (LOAD DATA LOCAL reports them as warnings)',
        details: { rowsSent: sent, rowsLoaded: affectedRows, warnings: warningStatus },
      },
    );
  }
  return affectedRows;
}

/** Rows as LOAD DATA text: tab-separated fields, newline-terminated lines. */
function encodeRows(rows: readonly Row[], columns: readonly string[], timezone: string): Buffer {
  let text = '';
  let parts: Buffer[] | undefined;
  for (const row of rows) {
    for (let index = 0; index < columns.length; index++) {
      const column = columns[index] as string;
      const field = tsvField(row[column], timezone, column);
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
