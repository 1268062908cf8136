/** SQL text built from names a caller gives: identifiers quoted the server's way, table reads composed safely. */
import { ConnectorError } from '@osiris/core';

/** The server cuts identifiers to 63 bytes (NAMEDATALEN - 1); a longer name would silently name another object. */
const MAX_IDENTIFIER_BYTES = 63;

/** A name as a double-quoted identifier (`"Order ""x"""`), refusing what the server would change or reject. */
export function quoteIdentifier(name: unknown, what = 'identifier'): string {
  const problem =
    typeof name !== 'string'
      ? 'not a string'
      : name.length === 0
        ? 'empty'
        : name.includes('\0')
          ? 'contains NUL'
          : Buffer.byteLength(name) > MAX_IDENTIFIER_BYTES
            ? `longer than ${MAX_IDENTIFIER_BYTES} bytes, which the server would cut short`
            : undefined;
  if (problem !== undefined) {
    throw new ConnectorError(`Invalid ${what} ${JSON.stringify(name)}: ${problem}`, {
      code: 'INVALID_IDENTIFIER',
      category: 'config',
      hint: `Names have 1-${MAX_IDENTIFIER_BYTES} bytes and no NUL`,
    });
  }
  return `"${(name as string).replaceAll('"', '""')}"`;
}

/** `"schema"."table"`. */
export const qualifiedName = (schema: string, table: string): string =>
  `${quoteIdentifier(schema, 'schema name')}.${quoteIdentifier(table, 'table name')}`;

/** A text literal for the server (standard_conforming_strings is on for every session this package opens). */
export const quoteLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** A read of a table: which columns, which rows (equality filters), in which order. */
export interface TableSelection {
  /** Table in the connection's schema. */
  table: string;
  /** Columns to read (default: all). */
  columns?: readonly string[];
  /** Equality filters: `{ status: 'open' }`; null matches NULL, an array matches any of its values. */
  where?: Readonly<Record<string, unknown>>;
  /** Column names, each optionally followed by ` ASC` or ` DESC`. */
  orderBy?: string | readonly string[];
  /** At most this many rows. */
  limit?: number;
}

/** A statement and the values of its `$n` placeholders. */
export interface Statement {
  /** SQL text with `$1`, `$2`… placeholders. */
  text: string;
  /** Values of the placeholders, in order. */
  values: unknown[];
}

const ORDER_ITEM = /^(.*\S)\s+(ASC|DESC)$/i;

/** `SELECT … FROM "schema"."table" WHERE … ORDER BY … LIMIT …`, every name quoted and every value a parameter. */
export function selectStatement(schema: string, selection: TableSelection): Statement {
  const values: unknown[] = [];
  const columns =
    selection.columns === undefined || selection.columns.length === 0
      ? '*'
      : selection.columns.map((column) => quoteIdentifier(column, 'column name')).join(', ');
  let text = `SELECT ${columns} FROM ${qualifiedName(schema, selection.table)}`;
  const conditions = Object.entries(selection.where ?? {}).map(([column, value]) => {
    const name = quoteIdentifier(column, 'column name');
    if (value === null || value === undefined) return `${name} IS NULL`;
    values.push(value);
    return Array.isArray(value) ? `${name} = ANY($${values.length})` : `${name} = $${values.length}`;
  });
  if (conditions.length > 0) text += ` WHERE ${conditions.join(' AND ')}`;
  const order = typeof selection.orderBy === 'string' ? [selection.orderBy] : (selection.orderBy ?? []);
  if (order.length > 0) {
    const items = order.map((item) => {
      const match = ORDER_ITEM.exec(item);
      return match
        ? `${quoteIdentifier(match[1], 'column name')} ${(match[2] as string).toUpperCase()}`
        : quoteIdentifier(item, 'column name');
    });
    text += ` ORDER BY ${items.join(', ')}`;
  }
  if (selection.limit !== undefined) {
    if (!Number.isSafeInteger(selection.limit) || selection.limit < 0) {
      throw new ConnectorError(`Invalid limit ${selection.limit}`, {
        code: 'REQUEST_INVALID',
        category: 'config',
        hint: 'limit is a whole number of rows, 0 or more',
      });
    }
    text += ` LIMIT ${selection.limit}`;
  }
  return { text, values };
}
