/** The read-only check's refusals: one stable rule name per reason, each with what to do instead. */
import { type ReadOnlyDenial, readOnlyDenial } from '@osiris/core';

/** Why the check refused a statement; also found in `error.details.rule`. */
export type ReadOnlyRule =
  | 'empty'
  | 'control_character'
  | 'unterminated'
  | 'invalid_literal'
  | 'multiple_statements'
  | 'unbalanced'
  | 'too_deep'
  | 'statement'
  | 'explain_analyze'
  | 'data_modifying'
  | 'into'
  | 'locking_read'
  | 'function';

const ALLOWED =
  'A read-only connection runs one SELECT, WITH … SELECT, VALUES, TABLE, SHOW or EXPLAIN (without ANALYZE) statement';

const HINTS: Record<ReadOnlyRule, string> = {
  empty: `Send a query: ${ALLOWED}.`,
  control_character: 'Remove control characters from the query; only tab, CR, LF, FF and VT may appear.',
  unterminated: 'Close every string, quoted identifier, dollar quote and /* comment.',
  invalid_literal:
    'Separate a number from the word after it, and write UESCAPE with a single-character string.',
  multiple_statements: 'Send one statement per call (a trailing ; is fine).',
  unbalanced: 'Balance the parentheses.',
  too_deep: 'Flatten the query: parentheses may nest 1,000 levels deep at most.',
  statement: `${ALLOWED}; use a read-write connection for anything else.`,
  explain_analyze: 'Use EXPLAIN without ANALYZE: ANALYZE runs the statement.',
  data_modifying:
    'INSERT, UPDATE, DELETE and MERGE are refused anywhere in the statement; a column of that name must be written in double quotes ("update").',
  into: 'Read the rows from the result instead of SELECT … INTO a new table.',
  locking_read:
    'Remove FOR UPDATE / FOR SHARE / FOR NO KEY UPDATE / FOR KEY SHARE: a read-only connection takes no row locks.',
  function:
    'This function sleeps, locks, signals other sessions, reads or writes server files, reaches other databases, changes settings or sequences, or runs SQL given as text; it is refused on a read-only connection (so is a column or alias of that name).',
};

/** Refuses a query: throws the `READ_ONLY_VIOLATION` error for `rule`, pointing at `offset` in the SQL text. */
export const deny: ReadOnlyDenial<ReadOnlyRule> = readOnlyDenial('Read-only check', HINTS);
