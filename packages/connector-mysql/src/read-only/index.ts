/** The read-only guard's entry point: `validateReadOnly`, the text check every read-only statement passes. */
import { allowedFunctions, type ServerFlavor } from './functions.js';
import { tokenize } from './lexer.js';
import { verify } from './verifier.js';
import { deny } from './violation.js';

export type { ServerFlavor } from './functions.js';
export type { ReadOnlyRule } from './violation.js';

/** Options of `validateReadOnly`. */
export interface ReadOnlyOptions {
  /**
   * The server the query goes to. Builtins of that server only become callable; unknown, only builtins both
   * MySQL and MariaDB share are (a builtin of one server may be a stored function's name on the other).
   */
  server?: ServerFlavor;
}

/**
 * Refuses anything but one side-effect-free read: throws `ConnectorError` code `READ_ONLY_VIOLATION`
 * (category `read_only`, `details.rule` naming the reason) unless `sql` is exactly one SELECT,
 * WITH … SELECT, SHOW, DESCRIBE/EXPLAIN, VALUES or TABLE statement without INTO, locking reads, PROCEDURE,
 * ANALYZE, executable comments, assignments or calls outside the builtin allowlist.
 *
 * Check the text exactly as it is sent: with client-side parameter substitution, validate the formatted SQL.
 */
export function validateReadOnly(sql: string, options: ReadOnlyOptions = {}): void {
  if (typeof sql !== 'string') deny('empty', 'the query is not text', 0);
  verify(tokenize(sql), allowedFunctions(options.server), sql.length);
}
