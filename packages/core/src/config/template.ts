import type { SourceLocation } from '../contract/resolver.js';
import { ConnectorError } from '../errors.js';
import { pointerSegments } from '../secrets/secret-names.js';
import { type FieldSource, formatLocation } from './connections-file.js';

/** How a `${...}` expression treats its variable: `${V}`, `${V:-d}`, `${V-d}`, `${V:?msg}`, `${V?msg}`. */
export type Operator = '' | ':-' | '-' | ':?' | '?';

/** One `${...}` expression. */
export interface Expression {
  /** Variable name (case-sensitive). */
  name: string;
  /** What happens when the variable is unset or empty. */
  operator: Operator;
  /** The default (`:-`, `-`) or message (`:?`, `?`), itself a template. */
  word: TemplatePart[];
  /** The word as written, for messages. */
  wordSource: string;
  /** Offset of the `${` in the text. */
  start: number;
}

/** A parsed string: literal text (with `$${` already turned into `${`) and expressions. */
export type TemplatePart = string | Expression;

/** Where a string is written, so errors can point at it. */
export interface TextSite {
  /** The alias it belongs to. */
  reference?: string;
  /** JSON Pointer of its field. */
  field?: string;
  /** Where the field is written. */
  source?: FieldSource;
}

// biome-ignore-start lint/suspicious/noTemplateCurlyInString: these messages show the syntax itself
const SYNTAX_HINT =
  'Write ${VAR}, ${VAR:-default}, ${VAR-default} or ${VAR:?message}; write $${ for a literal "${"';
const UNTERMINATED = 'unterminated "${" (no closing "}")';
// biome-ignore-end lint/suspicious/noTemplateCurlyInString: these messages show the syntax itself

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const OPERATOR = /:-|:\?|-|\?|\}/y;
/** Deep enough for any real default chain, shallow enough that no input can exhaust the stack. */
const MAX_DEPTH = 32;

/** `password` for `/password`, `ssl.ca` for `/ssl/ca`. */
export const fieldLabel = (pointer: string): string => pointerSegments(pointer).join('.');

/** The position of character `offset` of a string written at `site`, as exact as the file allows. */
export function locate(site: TextSite | undefined, offset = 0): SourceLocation | undefined {
  const source = site?.source;
  if (source === undefined) return undefined;
  return source.text ? { ...source.text, column: source.text.column + offset } : source.value;
}

/** `field "ssl.ca" at file:3:9`, leaving out what the site does not know. */
export function describeSite(site: TextSite | undefined, location = locate(site)): string {
  const field = site?.field === undefined ? undefined : `field "${fieldLabel(site.field)}"`;
  const at = location === undefined ? undefined : `at ${formatLocation(location)}`;
  return [field, at].filter((part) => part !== undefined).join(' ');
}

/** `@mysql.main: ` when the site knows its alias. */
export const referencePrefix = (site: TextSite | undefined): string =>
  site?.reference === undefined ? '' : `${site.reference}: `;

/** Parses `${...}` expressions out of a string; throws `CONFIG_INVALID` pointing at a malformed one. */
export function parseTemplate(text: string, site?: TextSite): TemplatePart[] {
  let index = 0;

  function fail(reason: string, offset: number): never {
    const location = locate(site, offset);
    const where = describeSite(site, location);
    throw new ConnectorError(
      `${referencePrefix(site)}Malformed \${...} ${where ? `in ${where}` : `at character ${offset + 1}`}: ${reason}`,
      {
        code: 'CONFIG_INVALID',
        category: 'config',
        hint: SYNTAX_HINT,
        reference: site?.reference,
        ...location,
        details: { offset },
      },
    );
  }

  const parts = (depth: number, nested: boolean): TemplatePart[] => {
    const result: TemplatePart[] = [];
    let literal = '';
    while (index < text.length && !(nested && text[index] === '}')) {
      if (text.startsWith('$${', index)) {
        literal += '${';
        index += 3;
      } else if (text.startsWith('${', index)) {
        if (literal !== '') result.push(literal);
        literal = '';
        result.push(expression(depth));
      } else {
        literal += text[index];
        index += 1;
      }
    }
    if (literal !== '') result.push(literal);
    return result;
  };

  const expression = (depth: number): Expression => {
    const start = index;
    if (depth >= MAX_DEPTH) fail(`expressions nested more than ${MAX_DEPTH} deep`, start);
    index += 2;
    NAME.lastIndex = index;
    const name = NAME.exec(text)?.[0];
    if (name === undefined) {
      if (index >= text.length) fail(UNTERMINATED, start);
      fail(
        text[index] === '}' ? 'empty variable name' : 'a variable name starts with a letter or "_"',
        index,
      );
    }
    index += name.length;
    OPERATOR.lastIndex = index;
    const operator = OPERATOR.exec(text)?.[0];
    if (operator === undefined) {
      if (index >= text.length) fail(UNTERMINATED, start);
      fail(
        `unexpected ${JSON.stringify(text[index])} after "${name}"; expected "}", ":-", "-", ":?" or "?"`,
        index,
      );
    }
    index += operator.length;
    if (operator === '}') return { name, operator: '', word: [], wordSource: '', start };
    const wordStart = index;
    const word = parts(depth + 1, true);
    if (index >= text.length) fail(UNTERMINATED, start);
    const wordSource = text.slice(wordStart, index);
    index += 1;
    return { name, operator: operator as Operator, word, wordSource, start };
  };

  return parts(0, false);
}

/** Every expression in a template, nested ones (in defaults and messages) included, in text order. */
export function expressionsOf(parts: readonly TemplatePart[]): Expression[] {
  return parts.flatMap((part) => (typeof part === 'string' ? [] : [part, ...expressionsOf(part.word)]));
}
