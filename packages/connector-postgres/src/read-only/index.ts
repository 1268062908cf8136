/** The read-only check: `validateReadOnly(sql)`, the first of the layers a read-only connection has. */
import { tokenize } from './lexer.js';
import { verify } from './verifier.js';
import { deny } from './violation.js';

export type { ReadOnlyRule } from './violation.js';

/**
 * Refuses anything but one reading statement: throws `ConnectorError` code `READ_ONLY_VIOLATION` (category
 * `read_only`, `details.rule` naming the reason) unless `sql` is exactly one SELECT, WITH … SELECT, VALUES,
 * TABLE, SHOW or EXPLAIN (without ANALYZE) statement with no INTO, row locks, INSERT / UPDATE / DELETE /
 * MERGE, or denied function (sleeps, advisory locks, set_config, large objects, server files, dblink,
 * backend signals, sequences, notifications, SQL run from text). The text is read as PostgreSQL reads it with
 * standard_conforming_strings on, which every session of this package sets.
 */
export function validateReadOnly(sql: string): void {
  if (typeof sql !== 'string') deny('empty', 'the query is not text', 0);
  const nul = sql.indexOf('\0');
  if (nul !== -1) deny('control_character', 'a NUL character', nul);
  verify(tokenize(sql), sql.length);
}
