/**
 * Optimizer hint comments (`/*+ … *\/`). MySQL reads them after SELECT; MariaDB 12 does too, older MariaDB
 * takes them for plain comments. Only hints that choose join orders, join methods and indexes pass: the
 * others change limits or session state (MAX_EXECUTION_TIME lifts the statement time limit, SET_VAR sets a
 * variable for the statement, RESOURCE_GROUP moves its thread), and a name the guard does not know may be one
 * of those on a newer server.
 */
import { deny } from './violation.js';
import { words } from './words.js';

/** Hints that only pick a plan (MySQL 8 and MariaDB 12 names). */
const PLAN_HINTS: ReadonlySet<string> = new Set(
  words(`BKA NO_BKA BNL NO_BNL HASH_JOIN NO_HASH_JOIN DERIVED_CONDITION_PUSHDOWN NO_DERIVED_CONDITION_PUSHDOWN
    GROUP_INDEX NO_GROUP_INDEX INDEX NO_INDEX INDEX_MERGE NO_INDEX_MERGE JOIN_FIXED_ORDER JOIN_ORDER JOIN_PREFIX
    JOIN_SUFFIX JOIN_INDEX NO_JOIN_INDEX MERGE NO_MERGE MRR NO_MRR NO_ICP NO_RANGE_OPTIMIZATION ORDER_INDEX
    NO_ORDER_INDEX QB_NAME SEMIJOIN NO_SEMIJOIN SUBQUERY SKIP_SCAN NO_SKIP_SCAN SPLIT_MATERIALIZED
    NO_SPLIT_MATERIALIZED ROWID_FILTER NO_ROWID_FILTER`),
);

/**
 * One hint (after the commas some write between hints): a name, then optionally a parenthesised list of table, index and query block names
 * (`t1`, `` `t 2` ``, `@qb`, `t1@qb`, `idx`, commas, spaces). No quotes, `=` or nested parentheses.
 */
const HINT = /^[\s,]*([A-Za-z_][A-Za-z0-9_]*)\s*(\(\s*(?:[A-Za-z0-9_$@.,\s]|`[^`]*`)*\))?/;

/** Refuses the hint comment whose text (between `/*+` and `*\/`) is `body`, unless every hint in it is a plan hint. */
export function checkOptimizerHints(body: string, start: number): void {
  let rest = body;
  while (rest.replace(/[\s,]/g, '') !== '') {
    const hint = HINT.exec(rest);
    if (!hint) deny('optimizer_hint', 'an optimizer hint the guard cannot read', start);
    const name = hint[1]!.toUpperCase();
    if (!PLAN_HINTS.has(name)) {
      deny('optimizer_hint', `the optimizer hint ${name.length > 40 ? 'given' : name}`, start);
    }
    rest = rest.slice(hint[0].length);
  }
}
