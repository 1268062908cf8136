/**
 * Splits SQL text into tokens the way the MySQL and MariaDB servers do, and refuses (throws) wherever
 * the two servers, or two sql_mode settings, could read the text differently. Comments and whitespace
 * are dropped; a token only remembers whether some preceded it.
 */
import { checkOptimizerHints } from './hints.js';
import { deny } from './violation.js';

/** What a token is. */
export type TokenKind =
  /** Unquoted identifier or keyword (`SELECT`, `t1`, `1abc`). */
  | 'word'
  /** Number (`42`, `1.5`, `.5`, `1e-3`, `0x1F`, `0b101`). */
  | 'number'
  /** Backtick-quoted identifier. */
  | 'backtick'
  /** Single-quoted string (also the body of N'…', X'…', B'…' and _charset'…'). */
  | 'string'
  /** Double-quoted text: a string by default, an identifier under ANSI_QUOTES. */
  | 'dquote'
  /** User or system variable: `@name`, `@@name`, `@@global.name` (a bare `@` before a quoted name). */
  | 'variable'
  /** Parameter marker `?`. */
  | 'param'
  /** Operator or punctuation, one character (`\N` is the one two-character exception). */
  | 'punct';

/** One token of the query. */
export interface Token {
  /** What the token is. */
  kind: TokenKind;
  /** Words: the text upper-cased in ASCII only (as the servers match keywords); quoted: the unquoted content; else the text. */
  value: string;
  /** The token as written. */
  text: string;
  /** Offset of the first character in the SQL text. */
  start: number;
  /** True when whitespace or a comment separates the token from the one before it. */
  spaced: boolean;
  /** True for a word or quoted name written right after a `.`: the servers read it as a name, never a keyword. */
  afterDot: boolean;
  /** True when a `.` precedes the token, spaces or comments in between or not: the parser qualifies it (`db . f(1)`). */
  qualified: boolean;
}

/** Only these count as whitespace: the servers do not treat U+00A0, U+3000 and friends as space. */
const isSpace = (c: number) => c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
const isAsciiLetterOrDigit = (c: number) =>
  (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);
/**
 * Unquoted name characters: ASCII letters, digits, `_`, `$` and every BMP character above U+007F (the servers
 * allow U+0080–U+FFFF). A name may not start with `$` here (newer MySQL reads `$$…$$` as a string).
 */
const isNameChar = (c: number) =>
  isAsciiLetterOrDigit(c) || c === 0x5f || c === 0x24 || (c >= 0x80 && !isSurrogate(c));
const isSurrogate = (c: number) => c >= 0xd800 && c <= 0xdfff;
const PUNCTUATION = new Set('(),;.=<>!+-*/%&|^~{}');

/** Tokenizes `sql`; throws a `READ_ONLY_VIOLATION` for anything the servers could read differently. */
export function tokenize(sql: string): Token[] {
  rejectUnsafeCharacters(sql);
  const tokens: Token[] = [];
  let spaced = false;
  let i = 0;
  const push = (kind: TokenKind, value: string, start: number, end: number) => {
    const previous = tokens.at(-1);
    const qualified = previous?.kind === 'punct' && previous.value === '.';
    tokens.push({
      kind,
      value,
      text: sql.slice(start, end),
      start,
      spaced,
      afterDot: qualified && !spaced,
      qualified,
    });
    spaced = false;
  };

  while (i < sql.length) {
    const c = sql.charCodeAt(i);
    const next = sql.charCodeAt(i + 1);
    if (isSpace(c)) {
      i++;
      spaced = true;
    } else if (c === 0x23 /* # */ || (c === 0x2d /* - */ && next === 0x2d && startsDashComment(sql, i + 2))) {
      // Both run to the next LF (a CR does not end them), as in the servers.
      const end = sql.indexOf('\n', i);
      i = end === -1 ? sql.length : end + 1;
      spaced = true;
    } else if (c === 0x2f /* / */ && next === 0x2a /* * */) {
      i = skipBlockComment(sql, i);
      spaced = true;
    } else if (c === 0x27 /* ' */ || c === 0x22 /* " */) {
      const end = quotedEnd(sql, i);
      const body = sql.slice(i + 1, end - 1);
      checkBinaryLiteral(tokens.at(-1), spaced, c, body, i);
      // Double-quoted text is kept as it reads under ANSI_QUOTES (an identifier) so that `"f"(` is seen as a call.
      push(c === 0x27 ? 'string' : 'dquote', undouble(body, sql[i]!), i, end);
      i = end;
    } else if (c === 0x60 /* ` */) {
      const end = closingQuote(sql, i, false);
      if (end === undefined) deny('unterminated', 'unterminated `quoted identifier`', i);
      push('backtick', undouble(sql.slice(i + 1, end - 1), '`'), i, end);
      i = end;
    } else if (c === 0x40 /* @ */) {
      i = scanVariable(sql, i, push);
    } else if (c === 0x3f /* ? */) {
      push('param', '?', i, i + 1);
      i++;
    } else if (c === 0x5c /* \ */ && next === 0x4e /* N */) {
      push('punct', '\\N', i, i + 2); // the servers' shorthand for NULL
      i += 2;
    } else if (
      (isNameChar(c) && c !== 0x24) ||
      (c === 0x2e /* . */ && isDigit(next) && !separatesName(tokens.at(-1), spaced))
    ) {
      const previous = tokens.at(-1);
      // Right after a qualifying dot the servers read a whole name (`t.1e5x` names a column `1e5x`).
      const afterDot = !spaced && previous?.kind === 'punct' && previous.value === '.';
      const numberEnd = afterDot ? undefined : numberEndAt(sql, i);
      const end = numberEnd ?? nameEnd(sql, i);
      push(numberEnd === undefined ? 'word' : 'number', asciiUpper(sql.slice(i, end)), i, end);
      i = end;
    } else if (PUNCTUATION.has(sql[i]!)) {
      push('punct', sql[i]!, i, i + 1);
      i++;
    } else {
      rejectCharacter(sql, i);
    }
  }
  return tokens;
}

/** Control characters (tab, CR and LF aside) and broken UTF-16 are refused anywhere, quoted or not. */
function rejectUnsafeCharacters(sql: string): void {
  for (let i = 0; i < sql.length; i++) {
    const c = sql.charCodeAt(i);
    if ((c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) || (c >= 0x7f && c <= 0x9f)) {
      const code = `U+${c.toString(16).toUpperCase().padStart(4, '0')}`;
      deny('control_character', `the query contains the control character ${code}`, i);
    }
    if (isSurrogate(c)) {
      const paired = c <= 0xdbff && isLowSurrogate(sql.charCodeAt(i + 1));
      if (!paired) deny('invalid_character', 'the query is not valid Unicode (a lone surrogate)', i);
      i++;
    }
  }
}
const isLowSurrogate = (c: number) => c >= 0xdc00 && c <= 0xdfff;

/** `--` opens a comment only when followed by whitespace or the end of the text; `1--1` is 1 minus minus 1. */
function startsDashComment(sql: string, at: number): boolean {
  return at >= sql.length || isSpace(sql.charCodeAt(at));
}

/** Skips a /* comment; executable comments, optimizer hints other than plan hints and nested openers are refused. */
function skipBlockComment(sql: string, start: number): number {
  const marker = sql[start + 2];
  if (marker === '!' || ((marker === 'M' || marker === 'm') && sql[start + 3] === '!')) {
    deny('executable_comment', `an executable comment (/*${marker === '!' ? '' : 'M'}!…*/)`, start);
  }
  const end = sql.indexOf('*/', start + 2);
  if (end === -1) deny('unterminated', 'unterminated /* comment', start);
  const nested = sql.indexOf('/*', start + 2);
  if (nested !== -1 && nested < end) deny('nested_comment', '"/*" inside a comment', nested);
  if (marker === '+') checkOptimizerHints(sql.slice(start + 3, end), start);
  return end + 2;
}

/**
 * End (exclusive) of the '…' or "…" literal opening at `start`. It must be the same with backslash escapes
 * (the default) and without them (NO_BACKSLASH_ESCAPES, and "…" under ANSI_QUOTES): otherwise one server
 * setting sees code where another sees string content.
 */
function quotedEnd(sql: string, start: number): number {
  const escaped = closingQuote(sql, start, true);
  const literal = closingQuote(sql, start, false);
  if (escaped === undefined && literal === undefined) {
    deny('unterminated', `unterminated ${sql[start]}quoted${sql[start]} text`, start);
  }
  if (escaped !== literal) deny('ambiguous_quote', 'a backslash before a quote', start);
  return escaped!;
}

/** Index after the quote closing the one at `start` (a doubled quote stays inside), or undefined. */
function closingQuote(sql: string, start: number, backslashEscapes: boolean): number | undefined {
  const quote = sql.charCodeAt(start);
  for (let i = start + 1; i < sql.length; i++) {
    const c = sql.charCodeAt(i);
    if (backslashEscapes && c === 0x5c) {
      i++;
    } else if (c === quote) {
      if (sql.charCodeAt(i + 1) !== quote) return i + 1;
      i++;
    }
  }
  return undefined;
}

const undouble = (body: string, quote: string) => body.replaceAll(quote + quote, quote);

/** X'…' and B'…' are hex and bit literals: refuse content the server would reject anyway, so nothing odd hides there. */
function checkBinaryLiteral(
  previous: Token | undefined,
  spaced: boolean,
  quote: number,
  body: string,
  at: number,
): void {
  if (spaced || quote !== 0x27 || previous?.kind !== 'word') return;
  if (previous.value === 'X' && !/^[0-9a-fA-F]*$/.test(body))
    deny('invalid_literal', "X'…' with non-hex content", at);
  if (previous.value === 'B' && !/^[01]*$/.test(body))
    deny('invalid_literal', "B'…' with content other than 0 and 1", at);
}

/**
 * `@name`, `@@name`, `@@scope.name`: the servers read the ASCII name characters and dots after `@` as one name,
 * never a keyword. A quoted name (`@'x'`, @`x`, `@"x"`) leaves a bare `@` and the quoted token follows.
 */
function scanVariable(
  sql: string,
  start: number,
  push: (kind: TokenKind, value: string, start: number, end: number) => void,
): number {
  let i = sql[start + 1] === '@' ? start + 2 : start + 1;
  while (i < sql.length) {
    const c = sql.charCodeAt(i);
    if (!(isAsciiLetterOrDigit(c) || c === 0x5f || c === 0x2e || c === 0x24)) break;
    i++;
  }
  const c = sql.charCodeAt(i);
  if (i < sql.length && isNameChar(c)) {
    deny('invalid_character', 'a variable name with a non-ASCII character (quote it: @`name`)', i);
  }
  push('variable', asciiUpper(sql.slice(start, i)), start, i);
  return i;
}

const isDigit = (c: number) => c >= 0x30 && c <= 0x39;
const isHexDigit = (c: number) => isDigit(c) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66);

function nameEnd(sql: string, start: number): number {
  let i = start;
  while (i < sql.length && isNameChar(sql.charCodeAt(i))) i++;
  return i;
}

/** A `.` right after a name (no space) separates a qualified name; elsewhere `.5` starts a number. */
function separatesName(previous: Token | undefined, spaced: boolean): boolean {
  return !spaced && previous?.kind === 'word';
}

/**
 * End of the number starting at `start`, or undefined when the servers read a name there. Mirrors their
 * scanner: `0x1F`/`0b101` only when no name character follows; digits followed by `.` make a decimal;
 * digits followed by e[+-]digits make a float; digits followed by any other name character make a name
 * (`1abc`). A number ends where its last digit does, so in `1.5FOR` or `1e5FOR` the server sees the keyword FOR.
 */
function numberEndAt(sql: string, start: number): number | undefined {
  const at = (i: number) => sql.charCodeAt(i);
  if (at(start) === 0x30 && (at(start + 1) === 0x78 /* x */ || at(start + 1) === 0x62) /* b */) {
    const isBodyDigit = at(start + 1) === 0x78 ? isHexDigit : (c: number) => c === 0x30 || c === 0x31;
    let i = start + 2;
    while (isBodyDigit(at(i))) i++;
    if (i > start + 2 && !isNameChar(at(i))) return i;
    return undefined;
  }
  let i = start;
  while (isDigit(at(i))) i++;
  if (at(i) === 0x2e /* . */) {
    i++;
    while (isDigit(at(i))) i++;
    return exponentEnd(sql, i, true) ?? i;
  }
  if (!isNameChar(at(i))) return i;
  return exponentEnd(sql, i, false);
}

/** After the digits of a number: end of an `e[+-]digits` exponent, or undefined when there is none. */
function exponentEnd(sql: string, at: number, afterDecimalPoint: boolean): number | undefined {
  const c = sql.charCodeAt(at);
  if (c !== 0x65 && c !== 0x45) return undefined;
  let i = at + 1;
  if (sql[i] === '+' || sql[i] === '-') i++;
  if (!isDigit(sql.charCodeAt(i))) {
    // `1.5e` followed by no digit is an error in the servers' scanner; `1e` alone starts a name (`1ex`).
    if (afterDecimalPoint) deny('invalid_literal', 'a number with an incomplete exponent', at);
    return undefined;
  }
  while (isDigit(sql.charCodeAt(i))) i++;
  return i;
}

function rejectCharacter(sql: string, at: number): never {
  const c = sql.codePointAt(at)!;
  if (c === 0x3a /* : */) deny('assignment', '":" (as in the := assignment)', at);
  // Newer MySQL versions read $$…$$ as a string, older servers as a name: the two would disagree on what runs.
  if (c === 0x24 /* $ */) deny('invalid_character', '"$" starting a name outside quotes', at);
  if (c > 0xffff)
    deny('invalid_character', 'a character outside the Basic Multilingual Plane outside quotes', at);
  deny('invalid_character', `"${String.fromCodePoint(c)}" outside quotes`, at);
}

/** Upper-cases ASCII letters only: the servers match keywords byte by byte, so `ſelect` is not `SELECT`. */
export function asciiUpper(text: string): string {
  for (let i = 0; i < text.length; i++) {
    if (text.charCodeAt(i) > 0x7f) return text.replace(/[a-z]+/g, (letters) => letters.toUpperCase());
  }
  return text.toUpperCase();
}
