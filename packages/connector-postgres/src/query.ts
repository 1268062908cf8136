/** `query()`: one statement with `$n` parameters, its rows as canonical values of its columns' logical types. */
import type { Row } from '@osiris/core';
import { fieldColumns, type PostgresColumn } from './catalog.js';
import type { Session } from './session.js';
import { NoCanonicalValue, noCanonicalValue, textDecoder } from './values.js';

/** Rows and columns of a statement; the row count of one that changes data. */
export interface QueryResult<R extends Row = Row> {
  /** Rows (empty for statements without a result). */
  rows: R[];
  /** Column metadata, each with its logical type. */
  columns: PostgresColumn[];
  /** Rows returned or affected. */
  rowCount: number;
  /** The command that ran: SELECT, INSERT, UPDATE… */
  command: string;
}

/** Runs one statement on the session and decodes its rows. */
export async function runQuery<R extends Row>(
  session: Session,
  text: string,
  values: readonly unknown[],
): Promise<QueryResult<R>> {
  const result = await session.run(text, values);
  const columns = await fieldColumns(session.client, result.fields);
  const decoders = columns.map((column) => textDecoder(column.type));
  const rows = result.rows.map((values, index) => {
    const row: Row = {};
    columns.forEach((column, c) => {
      const text = values[c];
      try {
        row[column.name] = text === null || text === undefined ? null : decoders[c]?.(text);
      } catch (error) {
        if (!(error instanceof NoCanonicalValue)) throw error;
        throw noCanonicalValue(error, column, index + 1, 'PostgreSQL query');
      }
    });
    return row as R;
  });
  return { rows, columns, rowCount: result.rowCount, command: result.command };
}
