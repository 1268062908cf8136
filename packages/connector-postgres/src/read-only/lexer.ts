/**
 * Splits SQL text into tokens the way PostgreSQL's scanner (scan.l) does with standard_conforming_strings on
 * (every session of this package sets it): '' strings without backslash escapes, E'' strings with them,
 * B'' / X'' bit strings, U&'' strings and U&"" identifiers with UESCAPE, string continuation across a newline,
 * $tag$ dollar quotes, nested block comments, -- comments, "" identifiers, and $1 parameters. Identifiers are
 * folded and cut as the server does (ASCII lowercased, 63 bytes), so a name compares as the server resolves it.
 */
import { deny } from './violation.js';

/** What a token is. */
export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'param' | 'operator' | 'punct';

/** One token: its kind, its value (names folded, quoted names decoded), and where it sits in the text. */
export interface Token {
  /** Kind of token. */
  kind: TokenKind;
  /** Folded name for words and quoted identifiers; the text itself otherwise. */
  value: string;
  /** Offset of its first character. */
  start: number;
  /** Offset just past its last character. */
  end: number;
}

const isIdentStart = (c: string) => /[A-Za-z_]/.test(c) || c.charCodeAt(0) >= 0x80;
const isIdentPart = (c: string) => /[A-Za-z_0-9$]/.test(c) || c.charCodeAt(0) >= 0x80;
const isDollarTagPart = (c: string) => /[A-Za-z_0-9]/.test(c) || c.charCodeAt(0) >= 0x80;
const isSpace = (c: string) =>
  c === ' ' || c === '\t' || c === '\n' || c === '\r' || c === '\f' || c === '\v';
const isDigit = (c: string) => c >= '0' && c <= '9';
const OPERATOR_CHARS = '+-*/<>=~!@#%^&|`?';

/** NAMEDATALEN - 1: the server keeps the first 63 bytes of a name. */
const MAX_NAME_BYTES = 63;

/** A name cut to 63 bytes, as the server truncates it (never inside a UTF-8 sequence). */
function truncateName(name: string): string {
  if (Buffer.byteLength(name) <= MAX_NAME_BYTES) return name;
  let bytes = 0;
  let out = '';
  for (const char of name) {
    bytes += Buffer.byteLength(char);
    if (bytes > MAX_NAME_BYTES) break;
    out += char;
  }
  return out;
}

/** Tokenizes `sql`; throws `READ_ONLY_VIOLATION` where the text cannot be read the way the server reads it. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const at = (offset: number) => sql[offset] ?? '';

  /** Skips spaces and comments from `from`; returns where the next token starts and whether a newline was passed. */
  const skipSpace = (from: number): { next: number; newline: boolean } => {
    let p = from;
    let newline = false;
    for (;;) {
      const c = at(p);
      if (isSpace(c)) {
        if (c === '\n' || c === '\r') newline = true;
        p++;
      } else if (c === '-' && at(p + 1) === '-') {
        while (p < sql.length && at(p) !== '\n' && at(p) !== '\r') p++;
      } else if (c === '/' && at(p + 1) === '*') {
        p = skipBlockComment(p);
      } else {
        return { next: p, newline };
      }
    }
  };

  /** Past the end of a (nested) block comment starting at `from`. */
  const skipBlockComment = (from: number): number => {
    let depth = 0;
    let p = from;
    while (p < sql.length) {
      if (at(p) === '/' && at(p + 1) === '*') {
        depth++;
        p += 2;
      } else if (at(p) === '*' && at(p + 1) === '/') {
        depth--;
        p += 2;
        if (depth === 0) return p;
      } else p++;
    }
    return deny('unterminated', 'unterminated /* comment', from);
  };

  /**
   * Past the end of a quoted string body starting after its opening quote. `escapes`: backslash escapes
   * (E''); `doubling`: '' stands for a quote (not in B'' / X''). Continuation — a quote, whitespace holding a
   * newline, a quote — joins the next segment in the same mode.
   */
  const skipString = (from: number, escapes: boolean, doubling: boolean, opened: number): number => {
    let p = from;
    for (;;) {
      if (p >= sql.length) return deny('unterminated', 'unterminated string', opened);
      const c = at(p);
      if (escapes && c === '\\') {
        p += 2;
        continue;
      }
      if (c !== "'") {
        p++;
        continue;
      }
      if (doubling && at(p + 1) === "'") {
        p += 2;
        continue;
      }
      const { next, newline } = skipSpace(p + 1);
      if (newline && at(next) === "'" && !commentBetween(p + 1, next)) {
        p = next + 1;
        continue;
      }
      return p + 1;
    }
  };

  /** The server only continues a string across plain whitespace, not across a comment. */
  const commentBetween = (from: number, to: number) => /--|\/\*/.test(sql.slice(from, to));

  /** `UESCAPE 'c'` after a U& literal: the escape character, and where the literal really ends. */
  const uescape = (from: number): { escapeChar: string; end: number } => {
    const { next } = skipSpace(from);
    if (sql.slice(next, next + 7).toLowerCase() !== 'uescape' || isIdentPart(at(next + 7))) {
      return { escapeChar: '\\', end: from };
    }
    const quote = skipSpace(next + 7).next;
    if (at(quote) !== "'" || at(quote + 2) !== "'" || at(quote + 1) === '') {
      return deny('invalid_literal', 'UESCAPE must be followed by a one-character string', next);
    }
    const escapeChar = at(quote + 1);
    if (/[0-9a-fA-F+'"\s]/.test(escapeChar))
      return deny('invalid_literal', 'invalid UESCAPE character', quote);
    return { escapeChar, end: quote + 3 };
  };

  /** A U&"…" body with its Unicode escapes resolved. */
  const decodeUnicode = (body: string, escapeChar: string, offset: number): string => {
    let out = '';
    for (let p = 0; p < body.length; p++) {
      const c = body[p] as string;
      if (c !== escapeChar) {
        out += c;
        continue;
      }
      if (body[p + 1] === escapeChar) {
        out += escapeChar;
        p++;
        continue;
      }
      const long = body[p + 1] === '+';
      const digits = long ? body.slice(p + 2, p + 8) : body.slice(p + 1, p + 5);
      if (!/^[0-9a-fA-F]+$/.test(digits) || digits.length !== (long ? 6 : 4)) {
        return deny('invalid_literal', 'invalid Unicode escape in a U& identifier', offset + p);
      }
      const code = Number.parseInt(digits, 16);
      if (code > 0x10ffff || code === 0)
        return deny('invalid_literal', 'invalid Unicode escape value', offset + p);
      out += String.fromCodePoint(code);
      p += long ? 7 : 4;
    }
    return out;
  };

  const push = (kind: TokenKind, value: string, start: number, end: number) => {
    tokens.push({ kind, value, start, end });
    i = end;
  };

  while (i < sql.length) {
    const { next } = skipSpace(i);
    i = next;
    if (i >= sql.length) break;
    const start = i;
    const c = at(i);
    const code = c.charCodeAt(0);
    if (code < 0x20 || code === 0x7f)
      deny('control_character', `control character U+${code.toString(16).padStart(4, '0')}`, i);
    const lower = c.toLowerCase();
    const afterPrefix = at(i + 1);
    // A one-letter prefix glued to a quote makes a special literal; the same letter ending a longer word does not.
    if ((lower === 'e' || lower === 'b' || lower === 'x' || lower === 'n') && afterPrefix === "'") {
      const end = skipString(i + 2, lower === 'e', lower !== 'b' && lower !== 'x', start);
      push('string', sql.slice(start, end), start, end);
      continue;
    }
    if (lower === 'u' && afterPrefix === '&' && (at(i + 2) === "'" || at(i + 2) === '"')) {
      if (at(i + 2) === "'") {
        const end = uescape(skipString(i + 3, false, true, start)).end;
        push('string', sql.slice(start, end), start, end);
      } else {
        const close = quotedIdentifierEnd(sql, i + 3, start);
        const { escapeChar, end } = uescape(close);
        const name = decodeUnicode(sql.slice(i + 3, close - 1).replaceAll('""', '"'), escapeChar, i + 3);
        push('quoted', truncateName(name), start, end);
      }
      continue;
    }
    if (isIdentStart(c)) {
      let p = i + 1;
      while (p < sql.length && isIdentPart(at(p))) p++;
      // Only ASCII letters fold: in UTF-8 databases the server leaves other letters as they are.
      const folded = sql.slice(start, p).replace(/[A-Z]+/g, (letters) => letters.toLowerCase());
      push('word', truncateName(folded), start, p);
      continue;
    }
    if (c === '"') {
      const end = quotedIdentifierEnd(sql, i + 1, start);
      const name = sql.slice(i + 1, end - 1).replaceAll('""', '"');
      if (name === '') deny('invalid_literal', 'zero-length quoted identifier', start);
      push('quoted', truncateName(name), start, end);
      continue;
    }
    if (c === "'") {
      const end = skipString(i + 1, false, true, start);
      push('string', sql.slice(start, end), start, end);
      continue;
    }
    if (c === '$') {
      if (isDigit(afterPrefix)) {
        let p = i + 1;
        while (isDigit(at(p))) p++;
        if (isIdentPart(at(p))) deny('invalid_literal', 'trailing junk after a parameter', p);
        push('param', sql.slice(start, p), start, p);
        continue;
      }
      let p = i + 1;
      if (afterPrefix === '$' || (isIdentStart(afterPrefix) && afterPrefix !== '$')) {
        while (p < sql.length && isDollarTagPart(at(p))) p++;
        if (at(p) === '$') {
          const tag = sql.slice(start, p + 1);
          const close = sql.indexOf(tag, p + 1);
          if (close === -1) deny('unterminated', 'unterminated dollar-quoted string', start);
          push('string', sql.slice(start, close + tag.length), start, close + tag.length);
          continue;
        }
      }
      push('operator', '$', start, i + 1);
      continue;
    }
    if (isDigit(c) || (c === '.' && isDigit(afterPrefix))) {
      const match = /^(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/.exec(sql.slice(i)) as RegExpExecArray;
      const end = i + match[0].length;
      // PostgreSQL 15 refuses a number glued to a word (`1from`) as trailing junk.
      if (isIdentStart(at(end))) deny('invalid_literal', 'trailing junk after a number', end);
      push('number', match[0], start, end);
      continue;
    }
    if (OPERATOR_CHARS.includes(c)) {
      let p = i;
      while (
        p < sql.length &&
        OPERATOR_CHARS.includes(at(p)) &&
        !(at(p) === '-' && at(p + 1) === '-') &&
        !(at(p) === '/' && at(p + 1) === '*')
      )
        p++;
      push('operator', sql.slice(start, p), start, p);
      continue;
    }
    if (c === ':' && afterPrefix === ':') {
      push('operator', '::', start, i + 2);
      continue;
    }
    push('punct', c, start, i + 1);
  }
  return tokens;
}

/** Past the closing quote of a "…" identifier whose body starts at `from`. */
function quotedIdentifierEnd(sql: string, from: number, opened: number): number {
  let p = from;
  for (;;) {
    const close = sql.indexOf('"', p);
    if (close === -1) return deny('unterminated', 'unterminated quoted identifier', opened);
    if (sql[close + 1] === '"') {
      p = close + 2;
      continue;
    }
    return close + 1;
  }
}
