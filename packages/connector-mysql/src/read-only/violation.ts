/** The guard's refusal reasons (`details.rule`), each with the hint a user sees, and the refusal itself. */
import { type ReadOnlyDenial, readOnlyDenial } from '@osiris/core';

/** Why the guard refused a query; stable names, also found in `error.details.rule`. */
export type ReadOnlyRule =
  | 'empty'
  | 'control_character'
  | 'invalid_character'
  | 'unterminated'
  | 'ambiguous_quote'
  | 'invalid_literal'
  | 'executable_comment'
  | 'optimizer_hint'
  | 'nested_comment'
  | 'multiple_statements'
  | 'unbalanced'
  | 'too_deep'
  | 'statement'
  | 'cte'
  | 'into'
  | 'locking_read'
  | 'procedure'
  | 'analyze'
  | 'assignment'
  | 'sequence'
  | 'function'
  | 'function_spacing'
  | 'quoted_function'
  | 'qualified_function';

const ALLOWED =
  'A read-only connection runs one SELECT, WITH … SELECT, SHOW, DESCRIBE/EXPLAIN, VALUES or TABLE statement';

const HINTS: Record<ReadOnlyRule, string> = {
  empty: `Send a query: ${ALLOWED}.`,
  control_character: 'Remove control characters from the query; only tab, CR and LF may appear.',
  invalid_character: 'Put identifiers with unusual characters in backticks (`name`).',
  unterminated: 'Close every string, quoted identifier and /* comment.',
  ambiguous_quote:
    "Double a quote to put it inside a string ('it''s'); a backslash before a quote ends the string elsewhere under NO_BACKSLASH_ESCAPES or ANSI_QUOTES.",
  invalid_literal: "X'…' holds hex digits and B'…' holds 0 and 1 only.",
  executable_comment: 'Write the statement as plain SQL, without /*! */ or /*M! */ comments.',
  optimizer_hint:
    'Optimizer hints may only choose joins and indexes (BKA, INDEX, MERGE, JOIN_ORDER, …); MAX_EXECUTION_TIME, SET_VAR, RESOURCE_GROUP and unknown hints are refused.',
  nested_comment: 'Do not open /* inside a comment: MySQL versions disagree on where such a comment ends.',
  multiple_statements: 'Send one statement per query (a trailing ; is fine).',
  unbalanced: 'Balance the parentheses.',
  too_deep: 'Flatten the query: parentheses may nest 1,000 levels deep at most.',
  statement: `${ALLOWED}; use a read-write connection for anything else.`,
  cte: 'Write WITH name [(columns)] AS (SELECT …) [, …] followed by a SELECT.',
  into: 'Read the rows from the result instead of SELECT … INTO a file or variable.',
  locking_read:
    'Remove FOR UPDATE / FOR SHARE / LOCK IN SHARE MODE: a read-only connection takes no row locks.',
  procedure: 'Remove the PROCEDURE clause.',
  analyze:
    'ANALYZE and EXPLAIN ANALYZE may only analyze a SELECT; ANALYZE TABLE writes statistics and is refused.',
  assignment: "Remove the ':=' assignment; a read-only query sets no variables.",
  sequence:
    'Read sequences with PREVIOUS VALUE FOR / LASTVAL(); NEXT VALUE FOR and NEXTVAL/SETVAL change them.',
  function:
    'Only side-effect-free builtin functions may be called on a read-only connection (no sleeps, locks, file reads, replication waits or stored functions).',
  function_spacing:
    'Write the function name directly before "(": with a space or comment in between, the server looks the name up as a stored function.',
  quoted_function: 'Write builtin function names unquoted: a quoted name is looked up as a stored function.',
  qualified_function:
    'Schema-qualified calls (db.func()) run stored functions, which a read-only connection does not allow.',
};

/** Refuses a query: throws the `READ_ONLY_VIOLATION` error for `rule`, pointing at `offset` in the SQL text. */
export const deny: ReadOnlyDenial<ReadOnlyRule> = readOnlyDenial('Read-only guard', HINTS);
