/**
 * COPY takes no parameters, so a read's `$1`, `$2`… are written into its text as literals of unknown type
 * (`'42'`), which the server resolves from context the way it resolves an untyped parameter. The lexer finds
 * the placeholders, so a `$1` inside a string, a dollar quote or a comment stays as it is.
 */
import { ConnectorError, numberText } from '@osiris/core';
import { type Token, tokenize } from './read-only/lexer.js';
import { quoteLiteral } from './sql.js';

/** The text form the server reads a parameter value from (as pg sends it); null for NULL. */
function parameterText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof Uint8Array) return `\\x${Buffer.from(value).toString('hex')}`;
  if (value instanceof Date) return value.toISOString();
  if (Array.isArray(value)) return `{${value.map(arrayElement).join(',')}}`;
  return JSON.stringify(value);
}

function arrayElement(value: unknown): string {
  const text = parameterText(value);
  return text === null ? 'NULL' : `"${text.replace(/["\\]/g, '\\$&')}"`;
}

/** The tokens of a statement this package wraps; its own syntax problems are the caller's SQL errors. */
function statementTokens(text: string): Token[] {
  let tokens: Token[];
  try {
    tokens = tokenize(text);
  } catch (error) {
    throw new ConnectorError(
      (error as Error).message.replace('Read-only check: ', 'The query cannot be read: '),
      {
        code: 'SQL_SYNTAX',
        category: 'config',
        hint: 'Close every string, quoted identifier, dollar quote and comment',
      },
    );
  }
  const separator = tokens.findIndex(
    (token, index) => token.kind === 'punct' && token.value === ';' && index < tokens.length - 1,
  );
  if (separator !== -1) {
    throw new ConnectorError('A read takes one statement; this query has several', {
      code: 'MULTIPLE_STATEMENTS',
      category: 'config',
      hint: 'Send one SELECT per read (a trailing ; is fine)',
    });
  }
  return tokens;
}

/** `text` with every `$n` replaced by the literal of `values[n - 1]`, and a trailing `;` dropped. */
export function inlineParameters(text: string, values: readonly unknown[]): string {
  const tokens = statementTokens(text);
  let out = '';
  let copied = 0;
  for (const token of tokens) {
    const trailing = token.kind === 'punct' && token.value === ';';
    if (token.kind !== 'param' && !trailing) continue;
    let literal = '';
    if (!trailing) {
      const index = Number(token.value.slice(1)) - 1;
      if (index < 0 || index >= values.length) {
        throw new ConnectorError(
          `The query uses ${token.value} but ${values.length} parameter(s) were given`,
          {
            code: 'REQUEST_INVALID',
            category: 'config',
            hint: 'Pass one value in params per $n placeholder',
          },
        );
      }
      const value = parameterText(values[index]);
      literal = value === null ? 'NULL' : quoteLiteral(value);
    }
    out += text.slice(copied, token.start) + literal;
    copied = token.end;
  }
  return out + text.slice(copied);
}
