/**
 * Checks a token stream: one statement of an allowed kind (SELECT, WITH … SELECT, VALUES, TABLE, SHOW,
 * EXPLAIN without ANALYZE), balanced, without INTO, row locks, data-modifying words or denied function
 * names anywhere. Not a parser: it refuses whatever it cannot place, and leaves writes to the read-only
 * transaction the server runs the statement in.
 */
import { clipForMessage } from '@osiris/core';
import { isDeniedFunction } from './functions.js';
import type { Token } from './lexer.js';
import { deny } from './violation.js';

const QUERY_STARTS = new Set(['select', 'with', 'values', 'table']);
const DATA_MODIFYING = new Set(['insert', 'update', 'delete', 'merge']);
const LOCK_STRENGTHS = new Set(['update', 'share', 'no', 'key']);
const MAX_DEPTH = 1_000;

const isWord = (token: Token | undefined, value?: string) =>
  token?.kind === 'word' && (value === undefined || token.value === value);
const isPunct = (token: Token | undefined, value: string) => token?.kind === 'punct' && token.value === value;

/** Throws `READ_ONLY_VIOLATION` unless `tokens` form one allowed statement. */
export function verify(allTokens: Token[], sqlLength: number): void {
  const tokens = isPunct(allTokens.at(-1), ';') ? allTokens.slice(0, -1) : allTokens;
  if (tokens.length === 0) deny('empty', 'the query has no statement', sqlLength);
  checkNesting(tokens);
  checkStart(tokens);
  for (let index = 0; index < tokens.length; index++) checkToken(tokens, index);
}

function checkNesting(tokens: Token[]): void {
  let depth = 0;
  for (const token of tokens) {
    if (isPunct(token, ';')) deny('multiple_statements', 'more than one statement', token.start);
    if (isPunct(token, '(') || isPunct(token, '[')) {
      depth++;
      if (depth > MAX_DEPTH) deny('too_deep', `parentheses nest deeper than ${MAX_DEPTH}`, token.start);
    } else if (isPunct(token, ')') || isPunct(token, ']')) {
      depth--;
      if (depth < 0) deny('unbalanced', 'a closing parenthesis without an opening one', token.start);
    }
  }
  if (depth !== 0) deny('unbalanced', 'unclosed parenthesis', (tokens.at(-1) as Token).end);
}

/** The statement must be a query, SHOW, or EXPLAIN of a query without ANALYZE. */
function checkStart(tokens: Token[]): void {
  let index = 0;
  const first = tokens[0] as Token;
  if (isWord(first, 'show')) {
    const other = tokens.find((token, i) => i > 0 && token.kind !== 'word');
    if (other !== undefined) deny('statement', 'SHOW takes a setting name only', other.start);
    return;
  }
  if (isWord(first, 'explain')) {
    index = 1;
    if (isPunct(tokens[1], '(')) {
      for (index = 2; index < tokens.length && !isPunct(tokens[index], ')'); index++) {
        const option = tokens[index] as Token;
        if (isWord(option, 'analyze') || isWord(option, 'analyse')) {
          deny('explain_analyze', 'EXPLAIN (ANALYZE) runs the statement', option.start);
        }
      }
      index++;
    } else {
      while (
        isWord(tokens[index], 'analyze') ||
        isWord(tokens[index], 'analyse') ||
        isWord(tokens[index], 'verbose')
      ) {
        const option = tokens[index] as Token;
        if (option.value !== 'verbose')
          deny('explain_analyze', 'EXPLAIN ANALYZE runs the statement', option.start);
        index++;
      }
    }
  }
  // A query may open with parentheses: (SELECT 1) UNION (SELECT 2).
  while (isPunct(tokens[index], '(')) index++;
  const head = tokens[index];
  if (head === undefined || !(head.kind === 'word' && QUERY_STARTS.has(head.value))) {
    const what =
      head === undefined
        ? 'nothing'
        : head.kind === 'word'
          ? head.value.toUpperCase()
          : `"${clipForMessage(head.value)}"`;
    deny('statement', `${what} is not a reading statement`, head?.start ?? (tokens.at(-1) as Token).end);
  }
}

function checkToken(tokens: Token[], index: number): void {
  const token = tokens[index] as Token;
  if (token.kind !== 'word' && token.kind !== 'quoted') return;
  const afterDot = isPunct(tokens[index - 1], '.');
  if (token.kind === 'word' && !afterDot) {
    if (token.value === 'into') deny('into', 'SELECT … INTO creates a table', token.start);
    if (
      token.value === 'for' &&
      isWord(tokens[index + 1]) &&
      LOCK_STRENGTHS.has((tokens[index + 1] as Token).value)
    ) {
      deny('locking_read', 'a locking clause (FOR UPDATE / FOR SHARE …)', token.start);
    }
    if (DATA_MODIFYING.has(token.value)) {
      deny('data_modifying', `${token.value.toUpperCase()} may modify data`, token.start);
    }
  }
  // By name wherever it stands: a call, a qualified call, attribute notation (row.func) or a quoted name.
  if (isDeniedFunction(token.value)) {
    deny('function', `${clipForMessage(token.value)} is not allowed on a read-only connection`, token.start);
  }
}
