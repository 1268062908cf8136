/**
 * Client-side binding of `?` parameters for read-only connections, in a form the guard reads the same under every
 * sql_mode: a quote inside a string value is doubled (`'O''Brien'`), never backslash-escaped (`'O\'Brien'` ends the
 * string elsewhere under NO_BACKSLASH_ESCAPES, so the guard refuses it as `ambiguous_quote`).
 */
import mysql from 'mysql2';

/** `sql` with its `?` placeholders replaced by the literals of `values` (mysql2's format, quotes doubled). */
export function bindParameters(sql: string, values: readonly unknown[], timezone: string): string {
  return mysql.format(
    sql,
    values.map(withDoubledQuotes) as Parameters<typeof mysql.format>[1],
    false,
    timezone,
  );
}

/** Strings become literals with doubled quotes, also inside lists (`IN (?)`); other values bind as mysql2 binds them. */
function withDoubledQuotes(value: unknown): unknown {
  if (typeof value === 'string') return mysql.raw(doubleQuotes(mysql.escape(value)));
  if (Array.isArray(value)) return value.map(withDoubledQuotes);
  return value;
}

/**
 * mysql2 escapes a string as pairs of backslash and character; `\'` becomes `''` and `\"` a bare `"` (the same
 * value in a '…' literal), every other pair (`\\`, `\n`, `\0`, …) stays, so no control character is sent raw.
 */
function doubleQuotes(literal: string): string {
  return literal.replace(/\\([\s\S])/g, (pair, character: string) =>
    character === "'" ? "''" : character === '"' ? '"' : pair,
  );
}
