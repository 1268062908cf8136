/**
 * Checks a token stream: one statement of an allowed kind (SELECT, WITH … SELECT, SHOW, DESCRIBE/EXPLAIN,
 * VALUES, TABLE), well nested, without INTO, locking reads, PROCEDURE, ANALYZE, sequence writes or calls to
 * functions outside the allowlist. Not a full parser: it only has to find every construct that could write,
 * wait or lock, and it refuses whatever it cannot place.
 */
import { clipForMessage } from '@osiris/core';
import { ARGUMENTLESS_ONLY, DENIED_FUNCTIONS, SEQUENCE_WRITES, SPACE_SENSITIVE } from './functions.js';
import { asciiUpper, type Token } from './lexer.js';
import { deny } from './violation.js';
import { words } from './words.js';

/** Statements that read a query expression. */
const QUERY_STARTS = new Set(['SELECT', 'WITH', 'VALUES', 'TABLE']);
/** What ANALYZE may analyze: not TABLE, since `ANALYZE TABLE t` is the statement that writes statistics. */
const ANALYZED_QUERY_STARTS = new Set(['SELECT', 'WITH', 'VALUES']);

/**
 * Keywords that may be followed by "(" without being a call. Each is a keyword on both servers that the
 * grammar never treats as a function name (a stored function of that name cannot be reached), which the
 * connection tests check on a live MariaDB.
 */
export const NOT_CALLS: ReadonlySet<string> = new Set(
  words(`ALL AND ANY AS BETWEEN BINARY BOTH BY CASE DISTINCT DISTINCTROW DIV ELSE EXCEPT EXISTS FROM GROUP HAVING
    IN INDEX INTERSECT IS JOIN KEY LEADING LIKE NOT ON OR OVER PARTITION REGEXP RLIKE SELECT SOME STRAIGHT_JOIN THEN
    TO TRAILING UNION USING VALUES WHEN WHERE XOR`),
);

/** Words that cannot name the table of DESCRIBE/EXPLAIN: they start a statement or an EXPLAIN option. */
const NOT_TABLE_NAMES = new Set(
  words(
    'SELECT WITH VALUES TABLE UPDATE DELETE INSERT REPLACE FOR ANALYZE FORMAT EXTENDED PARTITIONS CALL DO LOAD SET',
  ),
);

/** Words after which, at the same nesting depth, a comma separates table references. */
const FROM_CLAUSE = new Set(['FROM', 'JOIN', 'ON']);
const CLAUSE_WORDS = new Set([
  ...FROM_CLAUSE,
  ...words('SELECT WHERE GROUP HAVING ORDER LIMIT WINDOW UNION INTERSECT EXCEPT VALUES USING'),
]);

type StatementKind = 'query' | 'show' | 'describe';

/** The statement under check and what the checks learn about it. */
interface Statement {
  /** Its tokens, without the trailing ";". */
  tokens: Token[];
  /** For each "(" its matching ")", and the reverse. */
  partner: number[];
  /** Indexes of "(" known not to call the name before them (CTE column lists, EXPLAIN FORMAT=JSON (…)). */
  notCalls: Set<number>;
  /** What the statement is; SHOW may name PROCEDURE. */
  kind: StatementKind;
  /** Index of the ANALYZE that starts `ANALYZE SELECT …` or follows EXPLAIN, once checked to analyze a query. */
  analyzeAt?: number;
  /** The functions it may call. */
  functions: ReadonlySet<string>;
  /** Per token, the clause it stands in (computed when first needed). */
  clauses?: Array<string | undefined>;
}

/** Throws a `READ_ONLY_VIOLATION` unless `tokens` form one allowed, side-effect-free statement. */
export function verify(allTokens: Token[], functions: ReadonlySet<string>, sqlLength: number): void {
  const tokens = singleStatement(allTokens, sqlLength);
  const statement: Statement = {
    tokens,
    partner: pairParentheses(tokens),
    notCalls: new Set(),
    kind: 'query',
    functions,
  };
  statement.kind = checkStatementKind(statement);
  for (let index = 0; index < tokens.length; index++) checkToken(statement, index);
}

/** Drops one trailing ";"; refuses an empty query and any other ";". */
function singleStatement(tokens: Token[], sqlLength: number): Token[] {
  const body = isPunct(tokens.at(-1), ';') ? tokens.slice(0, -1) : tokens;
  if (body.length === 0) deny('empty', 'the query has no statement', tokens[0]?.start ?? sqlLength);
  const separator = body.find((token) => isPunct(token, ';'));
  if (separator) deny('multiple_statements', 'more than one statement', separator.start);
  return body;
}

/** Far beyond hand-written or generated queries; it bounds the checker's recursion into nested WITH clauses. */
const MAX_DEPTH = 1_000;

function pairParentheses(tokens: Token[]): number[] {
  const partner: number[] = [];
  const open: number[] = [];
  tokens.forEach((token, index) => {
    if (isPunct(token, '(') && open.push(index) > MAX_DEPTH) {
      deny('too_deep', `parentheses nested deeper than ${MAX_DEPTH}`, token.start);
    }
    if (isPunct(token, ')')) {
      const opening = open.pop();
      if (opening === undefined) deny('unbalanced', 'a ")" without "("', token.start);
      partner[opening] = index;
      partner[index] = opening;
    }
  });
  const unclosed = open.pop();
  if (unclosed !== undefined) deny('unbalanced', 'a "(" without ")"', tokens[unclosed]!.start);
  return partner;
}

function checkStatementKind(statement: Statement): StatementKind {
  const first = statement.tokens[0]!;
  if (isPunct(first, '(') || isKeyword(first, ...QUERY_STARTS)) {
    checkQueryAt(statement, 0);
    return 'query';
  }
  if (isKeyword(first, 'SHOW')) return 'show';
  if (isKeyword(first, 'ANALYZE')) return checkAnalyze(statement);
  if (isKeyword(first, 'DESCRIBE', 'DESC', 'EXPLAIN')) return checkDescribe(statement);
  const verb = first.kind === 'word' ? clipForMessage(first.text) : 'this';
  return deny('statement', `${verb} statements are not allowed on a read-only connection`, first.start);
}

/** A query expression starts at `index`: "(" * then SELECT, VALUES, TABLE or WITH … (checked through). */
function checkQueryAt(statement: Statement, index: number): void {
  let at = index;
  while (isPunct(statement.tokens[at], '(')) at++;
  const token = statement.tokens[at];
  if (isKeyword(token, 'WITH')) checkWith(statement, at);
  else if (!isKeyword(token, 'SELECT', 'VALUES', 'TABLE')) {
    const found = token?.kind === 'word' ? clipForMessage(token.text) : 'something else';
    deny('statement', `expected a SELECT, found ${found}`, (token ?? statement.tokens[index]!).start);
  }
}

/**
 * WITH [RECURSIVE] name [(columns)] AS (query) [CYCLE … RESTRICT] [, …] followed by a query: every CTE body
 * and the main statement must be queries (MySQL also accepts WITH … UPDATE / DELETE).
 */
function checkWith(statement: Statement, withIndex: number): void {
  const { tokens, partner } = statement;
  let at = withIndex + 1;
  if (isKeyword(tokens[at], 'RECURSIVE')) at++;
  for (;;) {
    if (!isName(tokens[at])) deny('cte', 'a WITH clause without a name', tokenStart(statement, at));
    at++;
    if (isPunct(tokens[at], '(')) {
      checkNameList(statement, at);
      statement.notCalls.add(at);
      at = partner[at]! + 1;
    }
    if (!isKeyword(tokens[at], 'AS') || !isPunct(tokens[at + 1], '(')) {
      deny('cte', 'a WITH clause without AS (…)', tokenStart(statement, at));
    }
    checkQueryAt(statement, at + 2);
    at = partner[at + 1]! + 1;
    if (isKeyword(tokens[at], 'CYCLE')) {
      while (at < tokens.length && !isKeyword(tokens[at], 'RESTRICT')) at++;
      at++;
    }
    if (!isPunct(tokens[at], ',')) break;
    at++;
  }
  if (isKeyword(tokens[at], 'WITH') || at >= tokens.length) {
    deny('cte', 'WITH must be followed by a SELECT', tokenStart(statement, at));
  }
  checkQueryAt(statement, at);
}

/** Only names and commas between the parentheses opening at `open` (a column list). */
function checkNameList(statement: Statement, open: number): void {
  if (!isNameList(statement, open))
    deny('cte', 'a column list with something other than names', tokenStart(statement, open));
}

function isNameList(statement: Statement, open: number): boolean {
  const close = statement.partner[open]!;
  if (close === open + 1) return false;
  for (let at = open + 1; at < close; at++) {
    const token = statement.tokens[at];
    if ((at - open) % 2 === 1 ? !isName(token) : !isPunct(token, ',')) return false;
  }
  return (close - open) % 2 === 0;
}

/**
 * MariaDB's ANALYZE [FORMAT = x] followed by a query: it runs the query, which is checked like any other, and
 * reports its counts. ANALYZE TABLE (statistics are written) and ANALYZE of a write are refused.
 */
function checkAnalyze(statement: Statement): StatementKind {
  const { tokens } = statement;
  const at = isKeyword(tokens[1], 'FORMAT') && isPunct(tokens[2], '=') ? 4 : 1;
  if (!(isPunct(tokens[at], '(') || isKeyword(tokens[at], ...ANALYZED_QUERY_STARTS))) {
    deny('analyze', 'ANALYZE of something other than a SELECT', tokens[0]!.start);
  }
  statement.analyzeAt = 0;
  checkQueryAt(statement, at);
  return 'query';
}

/**
 * DESCRIBE/DESC/EXPLAIN [EXTENDED | PARTITIONS | FORMAT = x | ANALYZE] followed by a query, or DESCRIBE table
 * [column]. EXPLAIN ANALYZE runs the query: only a query may follow it.
 */
function checkDescribe(statement: Statement): StatementKind {
  const { tokens } = statement;
  let at = 1;
  for (;;) {
    if (isKeyword(tokens[at], 'ANALYZE') && statement.analyzeAt === undefined) statement.analyzeAt = at++;
    else if (isKeyword(tokens[at], 'EXTENDED', 'PARTITIONS')) at++;
    else if (isKeyword(tokens[at], 'FORMAT') && isPunct(tokens[at + 1], '=')) at += 3;
    else break;
  }
  const target = tokens[at];
  if (isPunct(target, '(')) statement.notCalls.add(at);
  const { analyzeAt } = statement;
  const queries = analyzeAt === undefined ? QUERY_STARTS : ANALYZED_QUERY_STARTS;
  if (isPunct(target, '(') || isKeyword(target, ...queries)) {
    checkQueryAt(statement, at);
    return 'query';
  }
  if (analyzeAt !== undefined) {
    deny('analyze', 'EXPLAIN ANALYZE of something other than a SELECT', tokens[analyzeAt]!.start);
  }
  if (isTableName(target)) at++;
  else
    deny(
      'statement',
      'DESCRIBE/EXPLAIN of something other than a table or a SELECT',
      tokenStart(statement, at),
    );
  if (isPunct(tokens[at], '.') && isTableName(tokens[at + 1])) at += 2;
  if (isTableName(tokens[at]) || tokens[at]?.kind === 'string') at++;
  if (at < tokens.length) {
    deny('statement', 'DESCRIBE/EXPLAIN of something other than a table or a SELECT', tokens[at]!.start);
  }
  return 'describe';
}

function isTableName(token: Token | undefined): boolean {
  return token !== undefined && isName(token) && !(token.kind === 'word' && NOT_TABLE_NAMES.has(token.value));
}

/** Checks one token for constructs that write, lock or wait, wherever in the statement it stands. */
function checkToken(statement: Statement, index: number): void {
  const token = statement.tokens[index]!;
  if (token.qualified && isSequenceWrite(token)) {
    deny('sequence', `${clipForMessage(token.text)} changes a sequence`, token.start);
  }
  if (isPunct(token, '(')) checkParenthesis(statement, index);
  else if (token.kind === 'word' && !token.afterDot) checkKeyword(statement, index);
}

function checkKeyword(statement: Statement, index: number): void {
  const { tokens } = statement;
  const token = tokens[index]!;
  const next = tokens[index + 1];
  const at = token.start;
  switch (token.value) {
    case 'INTO':
      deny('into', 'INTO (OUTFILE, DUMPFILE or variables) writes outside the result', at);
      break;
    case 'LOCK':
      deny('locking_read', 'LOCK (IN SHARE MODE / TABLES) takes locks', at);
      break;
    case 'FOR':
      if (isKeyword(next, 'UPDATE', 'SHARE')) deny('locking_read', `FOR ${next!.value} takes row locks`, at);
      break;
    case 'PROCEDURE':
      // SHOW PROCEDURE STATUS / CODE and SHOW CREATE PROCEDURE list procedures; elsewhere it is SELECT … PROCEDURE.
      if (!(statement.kind === 'show' && isKeyword(tokens[index - 1], 'SHOW', 'CREATE'))) {
        deny('procedure', 'a PROCEDURE clause', at);
      }
      break;
    case 'ANALYZE':
      // SHOW ANALYZE [FORMAT=…] FOR thread shows another statement's running counts; the statement kind check
      // accepted ANALYZE/EXPLAIN ANALYZE of a query; anywhere else ANALYZE is a statement of its own.
      if (!(isShowAnalyze(statement, index) || index === statement.analyzeAt)) {
        deny('analyze', 'ANALYZE runs the statement it analyzes', at);
      }
      break;
    case 'NEXT':
      if (isKeyword(next, 'VALUE') && isKeyword(tokens[index + 2], 'FOR')) {
        deny('sequence', 'NEXT VALUE FOR changes a sequence', at);
      }
      break;
    case 'WITH':
      if (isPunct(tokens[index - 1], '(')) checkWith(statement, index);
      break;
  }
}

/** `SHOW ANALYZE [FORMAT = …] FOR thread`, with ANALYZE at `index`. */
function isShowAnalyze(statement: Statement, index: number): boolean {
  return statement.kind === 'show' && index === 1 && isKeyword(statement.tokens[2], 'FOR', 'FORMAT');
}

/** Oracle-mode `seq.nextval` (any quoting or spacing around the dot) takes a value from a sequence. */
function isSequenceWrite(token: Token): boolean {
  if (token.kind !== 'word' && token.kind !== 'backtick' && token.kind !== 'dquote') return false;
  return SEQUENCE_WRITES.has(asciiUpper(token.value));
}

/** A "(": a call of the name before it (checked against the allowlist), or grouping, a list, a subquery. */
function checkParenthesis(statement: Statement, open: number): void {
  const name = statement.tokens[open - 1];
  if (name === undefined || statement.notCalls.has(open) || isDerivedColumnList(statement, open)) return;
  if (name.kind !== 'word' && name.kind !== 'backtick' && name.kind !== 'dquote') return;
  if (name.qualified)
    deny('qualified_function', `a call of the qualified name ${clipForMessage(name.text)}`, name.start);
  if (name.kind !== 'word')
    deny('quoted_function', `a call of the quoted name ${clipForMessage(name.text)}`, name.start);
  if (!NOT_CALLS.has(name.value) && !isClauseInContext(statement, open - 1)) checkCall(statement, open);
}

function checkCall(statement: Statement, open: number): void {
  const { tokens } = statement;
  const name = tokens[open - 1]!;
  const written = clipForMessage(name.text);
  const reason = DENIED_FUNCTIONS.get(name.value);
  if (reason)
    deny(SEQUENCE_WRITES.has(name.value) ? 'sequence' : 'function', `${written}() ${reason}`, name.start);
  if (!statement.functions.has(name.value)) {
    deny('function', `${written}() is not a known side-effect-free builtin`, name.start);
  }
  if (tokens[open]!.spaced && SPACE_SENSITIVE.has(name.value)) {
    deny('function_spacing', `a space or comment between ${written} and "("`, name.start);
  }
  if (ARGUMENTLESS_ONLY.has(name.value) && !isPunct(tokens[open + 1], ')')) {
    deny('function', `${written}(expr) sets session state`, name.start);
  }
}

/**
 * Non-reserved keywords the servers read as a clause only in one place; elsewhere MariaDB calls a stored
 * function of that name: `MATCH (…) AGAINST (…)`, `'$[*]' COLUMNS (…)` in JSON_TABLE, `MEMBER OF (…)`,
 * `AS OF (…)`, `LIKE pattern ESCAPE (…)`, `FROM JSON_TABLE(…)` / `JOIN LATERAL (…)` / `, JSON_TABLE(…)` among
 * tables (where no call can stand), and the ODBC escape `{ OJ (…) }`, whose first word is never a call.
 */
function isClauseInContext(statement: Statement, nameIndex: number): boolean {
  const { tokens } = statement;
  const before = tokens[nameIndex - 1];
  if (isPunct(before, '{')) return true;
  switch (tokens[nameIndex]!.value) {
    case 'AGAINST':
      return isPunct(before, ')');
    case 'COLUMNS':
      return before?.kind === 'string';
    case 'OF':
      return isKeyword(before, 'MEMBER', 'AS');
    case 'ESCAPE':
      return isLikePattern(statement, nameIndex - 1);
    case 'JSON_TABLE':
    case 'LATERAL':
      return (
        isKeyword(before, 'FROM', 'JOIN') ||
        (isPunct(before, ',') && isInFromClause(statement, nameIndex - 1))
      );
    default:
      return false;
  }
}

/** The token at `index` ends the pattern of a LIKE: a literal, parameter or variable, a ")" or a name right after LIKE. */
function isLikePattern(statement: Statement, index: number): boolean {
  const { tokens } = statement;
  const token = tokens[index];
  if (token === undefined) return false;
  if (isName(token)) return isKeyword(tokens[index - 1], 'LIKE');
  const operand =
    ['string', 'dquote', 'number', 'param', 'variable'].includes(token.kind) || isPunct(token, ')');
  return operand && hasLikeBefore(statement, index);
}

/** A LIKE at the same nesting depth before `index`, with no "," or clause word in between. */
function hasLikeBefore(statement: Statement, index: number): boolean {
  const { tokens, partner } = statement;
  for (let at = index; at >= 0; at--) {
    const token = tokens[at]!;
    if (isPunct(token, ')')) at = partner[at]!;
    else if (isPunct(token, '(') || isPunct(token, ',')) return false;
    else if (isKeyword(token, 'LIKE')) return true;
    else if (token.kind === 'word' && !token.afterDot && CLAUSE_WORDS.has(token.value)) return false;
  }
  return false;
}

/** Whether the token at `index` belongs to a FROM clause: the nearest clause word at its depth is FROM/JOIN/ON. */
function isInFromClause(statement: Statement, index: number): boolean {
  statement.clauses ??= clauseWords(statement.tokens);
  return FROM_CLAUSE.has(statement.clauses[index] ?? '');
}

/** For each token, the last clause word before it at the same nesting depth (one pass; undefined at a group start). */
function clauseWords(tokens: Token[]): Array<string | undefined> {
  const clauses: Array<string | undefined> = [];
  const open: Array<string | undefined> = [undefined];
  tokens.forEach((token, index) => {
    clauses[index] = open.at(-1);
    if (isPunct(token, '(')) open.push(undefined);
    else if (isPunct(token, ')')) open.pop();
    else if (token.kind === 'word' && !token.afterDot && CLAUSE_WORDS.has(token.value))
      open[open.length - 1] = token.value;
  });
  return clauses;
}

/** `(subquery) [AS] alias (col, …)`: a derived table's column list, names only. */
function isDerivedColumnList(statement: Statement, open: number): boolean {
  const { tokens } = statement;
  const beforeName = tokens[open - 2];
  const closesSubquery =
    isPunct(beforeName, ')') || (isKeyword(beforeName, 'AS') && isPunct(tokens[open - 3], ')'));
  return closesSubquery && isNameList(statement, open);
}

function isPunct(token: Token | undefined, value: string): boolean {
  return token?.kind === 'punct' && token.value === value;
}

/** An unquoted keyword (a word right after a dot is a name, never a keyword). */
function isKeyword(token: Token | undefined, ...values: string[]): boolean {
  return token?.kind === 'word' && !token.afterDot && values.includes(token.value);
}

function isName(token: Token | undefined): boolean {
  return token?.kind === 'word' || token?.kind === 'backtick' || token?.kind === 'dquote';
}

function tokenStart(statement: Statement, index: number): number {
  return (statement.tokens[index] ?? statement.tokens.at(-1)!).start;
}
