import { ConnectorError } from '@osiris/core';

/** A statement and the values for its `?` placeholders. */
export interface Statement {
  /** SQL text with `?` placeholders. */
  sql: string;
  /** Values bound client-side, in order. */
  values: unknown[];
}

/**
 * Validates a table or column name and returns it backtick-quoted. MySQL accepts any name of 1-64
 * characters from the Basic Multilingual Plane without NUL and without trailing spaces; a backtick is doubled.
 */
export function quoteIdentifier(name: unknown, what = 'identifier'): string {
  const problem = identifierProblem(name);
  if (problem !== undefined) {
    throw new ConnectorError(`Invalid ${what} ${JSON.stringify(name)}: ${problem}`, {
      code: 'INVALID_IDENTIFIER',
      category: 'config',
      hint: 'Table and column names have 1-64 characters, no NUL, no trailing space and no characters beyond U+FFFF',
    });
  }
  return `\`${(name as string).replaceAll('`', '``')}\``;
}

function identifierProblem(name: unknown): string | undefined {
  if (typeof name !== 'string') return 'not a string';
  if (name.length === 0) return 'empty';
  if ([...name].length > 64) return 'longer than 64 characters';
  if (name.includes('\0')) return 'contains NUL';
  if (name.endsWith(' ')) return 'ends with a space';
  if (/[\uD800-\uDFFF]/.test(name)) return 'contains a character beyond U+FFFF';
  return undefined;
}

/** A read of a table: which columns, which rows (equality filters), in which order. */
export interface TableSelection {
  /** Table in the connection's database. */
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

const ORDER_ITEM = /^(.*\S)\s+(ASC|DESC)$/i;

/**
 * `SELECT … FROM … WHERE … ORDER BY … LIMIT …` with every name quoted and every value a parameter;
 * `expression` may select a column through an expression of its quoted name (kept under its name).
 */
export function selectStatement(
  selection: TableSelection,
  expression?: (quoted: string, name: string) => string | undefined,
): Statement {
  const values: unknown[] = [];
  const columns =
    selection.columns === undefined || selection.columns.length === 0
      ? '*'
      : selection.columns
          .map((column) => {
            const quoted = quoteIdentifier(column, 'column name');
            const selected = expression?.(quoted, column);
            return selected === undefined ? quoted : `${selected} AS ${quoted}`;
          })
          .join(', ');
  let sql = `SELECT ${columns} FROM ${quoteIdentifier(selection.table, 'table name')}`;
  const conditions = Object.entries(selection.where ?? {}).map(([column, value]) => {
    const name = quoteIdentifier(column, 'column name');
    if (value === null || value === undefined) return `${name} IS NULL`;
    if (Array.isArray(value)) {
      if (value.length === 0) return 'FALSE';
      values.push(value);
      return `${name} IN (?)`;
    }
    values.push(value);
    return `${name} = ?`;
  });
  if (conditions.length > 0) sql += ` WHERE ${conditions.join(' AND ')}`;
  const order = typeof selection.orderBy === 'string' ? [selection.orderBy] : (selection.orderBy ?? []);
  if (order.length > 0) {
    sql += ` ORDER BY ${order
      .map((item) => {
        const match = ORDER_ITEM.exec(item);
        return match
          ? `${quoteIdentifier(match[1], 'column name')} ${(match[2] as string).toUpperCase()}`
          : quoteIdentifier(item, 'column name');
      })
      .join(', ')}`;
  }
  if (selection.limit !== undefined) {
    if (!Number.isSafeInteger(selection.limit) || selection.limit < 0) {
      throw new ConnectorError(`Invalid limit ${selection.limit}`, {
        code: 'REQUEST_INVALID',
        category: 'config',
        hint: 'limit is a whole number of rows, 0 or more',
      });
    }
    sql += ` LIMIT ${selection.limit}`;
  }
  return { sql, values };
}
