import { Readable } from 'node:stream';
import { ConnectorError } from '@osiris/core';
import type { Session } from '../session.js';
import { quoteIdentifier } from '../sql.js';
import { rejectedRows } from './load-data.js';

/** CSV bytes to load into a table, in the dialect connector-fs writes by default. */
export interface CsvLoadRequest {
  /** Table in the connection's database. */
  table: string;
  /** The file's bytes, e.g. `fsConnection.readBytes('orders.csv')`. */
  data: AsyncIterable<Uint8Array | string> | Iterable<Uint8Array | string>;
  /** One character between fields (default `,`). */
  delimiter?: string;
  /** Record terminator: `lf` (default) or `crlf`. */
  newline?: 'lf' | 'crlf';
  /** Whether the first record names the columns (default true). */
  header?: boolean;
  /** Column names in file order: required without a header, and overrides one. */
  columns?: readonly string[];
  /**
   * Text of a NULL field (default `''`, as connector-fs writes it). `NULL` is exact: the server reads an unquoted
   * NULL as NULL and `"NULL"` as text, which is how connector-fs writes with `null_value: 'NULL'`. With any other
   * value a field holding just that text (quoted or not) and an unquoted field reading NULL both load as NULL.
   */
  null_value?: string;
  /** Stops the load (the statement is killed and the transaction rolled back). */
  signal?: AbortSignal;
}

/** Where the header record ends and what it says. */
interface Header {
  names: string[];
  rest: Buffer;
}

/**
 * Streams CSV bytes through one `LOAD DATA LOCAL INFILE` in one transaction: the server parses the file, no row
 * becomes a JS object. `nullable` names the table's nullable columns, in lower case (as the server compares them). Any warning (a rejected or truncated value, a duplicate key) rolls the whole load back.
 */
export async function loadCsv(
  session: Session,
  request: CsvLoadRequest,
  nullable: ReadonlySet<string>,
): Promise<number> {
  const delimiter = request.delimiter ?? ',';
  if (delimiter.length !== 1 || /["\r\n]/.test(delimiter)) {
    throw new ConnectorError(`Invalid CSV delimiter ${JSON.stringify(delimiter)}`, {
      code: 'INVALID_REQUEST',
      category: 'config',
      hint: 'Use one character other than a double quote, CR or LF',
    });
  }
  const newline = request.newline === 'crlf' ? '\r\n' : '\n';
  const chunks = toBuffers(request.data);
  const header = request.header === false ? undefined : await readHeader(chunks, delimiter);
  const names = request.columns ?? header?.names;
  if (names === undefined || names.length === 0) {
    throw new ConnectorError('The CSV columns are unknown', {
      code: 'INVALID_REQUEST',
      category: 'config',
      hint: 'Give columns, or load a file whose first record is a header',
    });
  }
  const nullValue = request.null_value ?? '';
  // A field goes straight into its column unless it may mean NULL: then through a variable and NULLIF. Only
  // nullable columns need that (a NOT NULL column keeps an empty field as ''), and the server loads direct columns
  // markedly faster.
  const viaNullif = (name: string) => nullValue !== 'NULL' && nullable.has(name.toLowerCase());
  const targets = names.map((name, index) =>
    viaNullif(name) ? `@c${index}` : quoteIdentifier(name, 'column name'),
  );
  const assignments = names.flatMap((name, index) =>
    viaNullif(name)
      ? [`${quoteIdentifier(name, 'column name')} = NULLIF(@c${index}, ${sqlText(nullValue)})`]
      : [],
  );
  async function* body(): AsyncGenerator<Buffer> {
    if (header !== undefined && header.rest.length > 0) yield header.rest;
    for await (const chunk of chunks) yield chunk;
  }
  const { rows: result } = await session.run(
    `LOAD DATA LOCAL INFILE 'osiris-csv' INTO TABLE ${quoteIdentifier(request.table, 'table name')}
       CHARACTER SET utf8mb4 FIELDS TERMINATED BY ${sqlText(delimiter)} OPTIONALLY ENCLOSED BY '"' ESCAPED BY ''
       LINES TERMINATED BY ${sqlText(newline)} (${targets.join(', ')})${assignments.length > 0 ? ` SET ${assignments.join(', ')}` : ''}`,
    undefined,
    { infileStreamFactory: () => Readable.from(body(), { objectMode: false }) },
  );
  const { affectedRows, warningStatus } = result as { affectedRows: number; warningStatus: number };
  if (warningStatus > 0)
    throw await rejectedRows(session, { rowsLoaded: affectedRows, warnings: warningStatus });
  return affectedRows;
}

async function* toBuffers(data: CsvLoadRequest['data']): AsyncGenerator<Buffer> {
  for await (const chunk of data) yield typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk);
}

/** Reads up to the end of the first record and splits it into names (RFC 4180 quoting). */
async function readHeader(chunks: AsyncGenerator<Buffer>, delimiter: string): Promise<Header | undefined> {
  let seen: Buffer = Buffer.alloc(0);
  // next() rather than for-await: leaving a for-await would close the stream the body still needs.
  for (let step = await chunks.next(); !step.done; step = await chunks.next()) {
    const chunk = step.value;
    seen = seen.length === 0 ? chunk : Buffer.concat([seen, chunk]);
    const end = recordEnd(seen);
    if (end !== -1) {
      const line = seen.subarray(0, end).toString('utf8').replace(/\r$/, '');
      return { names: splitRecord(line, delimiter), rest: seen.subarray(end + 1) };
    }
  }
  return seen.length === 0
    ? undefined
    : { names: splitRecord(seen.toString('utf8').replace(/\r?\n?$/, ''), delimiter), rest: Buffer.alloc(0) };
}

/** Index of the LF that ends the first record (a LF inside quotes does not), or -1. */
function recordEnd(bytes: Buffer): number {
  let quoted = false;
  for (let index = 0; index < bytes.length; index++) {
    const byte = bytes[index];
    if (byte === 0x22) quoted = !quoted;
    else if (byte === 0x0a && !quoted) return index;
  }
  return -1;
}

function splitRecord(line: string, delimiter: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let index = 0; index < line.length; index++) {
    const char = line[index];
    if (quoted) {
      if (char === '"' && line[index + 1] === '"') {
        field += '"';
        index++;
      } else if (char === '"') quoted = false;
      else field += char;
    } else if (char === '"') quoted = true;
    else if (char === delimiter) {
      fields.push(field);
      field = '';
    } else field += char;
  }
  fields.push(field);
  return fields;
}

const sqlText = (text: string) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
