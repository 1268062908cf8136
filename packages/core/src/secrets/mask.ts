import { parseTemplate, type TemplatePart } from '../config/template.js';
import { mapLeaves } from '../config/tree.js';
import { isConnectorError } from '../errors.js';
import { MASK, registerSecret } from '../redaction.js';
import { isSecretField, isSecretName } from './secret-names.js';

/** How `maskConfig` masks. */
export interface MaskOptions {
  /** JSON Pointers the plugin declares secret (`/password`), on top of the common secret names. */
  secrets?: readonly string[];
  /**
   * Keep `${VAR}` placeholders visible (default true): right for configs as written, wrong for
   * resolved ones, where a `${` can only be part of a real value.
   */
  placeholders?: boolean;
}

/** A `[start, end)` slice of a string that holds a secret. */
type Span = readonly [number, number];

const isLetter = (code: number) => (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
/** Characters of a URL scheme (`mysql`, `postgres+ssl`, `s3.v2`…): letters, digits, `+`, `-`, `.`. */
const isSchemeChar = (code: number) =>
  isLetter(code) || (code >= 48 && code <= 57) || code === 43 || code === 45 || code === 46;

/**
 * Where each `scheme://` in `text` ends, left to right, without overlaps: the same matches as
 * `/[A-Za-z][A-Za-z0-9+.-]*:\/\//g`, found from each `://` backwards so a long run of letters
 * is read once (the regex reads it again from every start position: quadratic).
 */
function* schemeEnds(text: string): Generator<number> {
  let cursor = 0;
  for (let sep = text.indexOf('://', cursor); sep >= 0; sep = text.indexOf('://', sep + 1)) {
    let first = sep;
    while (first > cursor && isSchemeChar(text.charCodeAt(first - 1))) first--;
    while (first < sep && !isLetter(text.charCodeAt(first))) first++;
    if (first === sep) continue;
    cursor = sep + 3;
    yield cursor;
  }
}

/** Where a set of characters occurs in a text, to find the next or the last one by binary search. */
class Occurrences {
  private readonly at: number[] = [];

  constructor(
    text: string,
    pattern: RegExp,
    private readonly none: number,
  ) {
    for (const match of text.matchAll(pattern)) this.at.push(match.index);
  }

  /** The first occurrence at or after `from`, or `none`. */
  next(from: number): number {
    const i = this.firstIndexAtLeast(from);
    return i < this.at.length ? this.at[i]! : this.none;
  }

  /** The last occurrence at or before `upTo`, or -1. */
  last(upTo: number): number {
    const i = this.firstIndexAtLeast(upTo + 1) - 1;
    return i >= 0 ? this.at[i]! : -1;
  }

  private firstIndexAtLeast(position: number): number {
    let low = 0;
    let high = this.at.length;
    while (low < high) {
      const middle = (low + high) >>> 1;
      if (this.at[middle]! < position) low = middle + 1;
      else high = middle;
    }
    return low;
  }
}

/** Longest tail of a parameter name that is judged: secret names are judged by their last word. */
const NAME_TAIL = 256;

/**
 * The secret query parameter values of the query `text[from, to)` (the text after `?`). A query
 * nested in the one read before it (a URL in another's query, same end) has the same pairs after
 * its first `&`, so with `nested` only that first pair is read: each pair is read once.
 */
function querySpans(
  text: string,
  from: number,
  to: number,
  nested: boolean,
  found: { amp: Occurrences; equals: Occurrences },
): Span[] {
  const spans: Span[] = [];
  for (let start = from; start < to; ) {
    const end = Math.min(found.amp.next(start), to);
    const equals = found.equals.next(start);
    const name = text.slice(Math.max(start, equals - NAME_TAIL), equals);
    if (equals > start && equals < end - 1 && isSecretName(decodeName(name))) spans.push([equals + 1, end]);
    if (nested) break;
    start = end + 1;
  }
  return spans;
}

function decodeName(name: string): string {
  try {
    return decodeURIComponent(name);
  } catch {
    return name;
  }
}

/**
 * Where the credentials of every URL in `text` are: the password of `scheme://user:password@host`
 * (up to the last `@` before the query, so an unencoded `@` in a password is still covered)
 * and the values of secret query parameters (`?password=`, `sslpassword`, `token`, `key`…).
 */
export function urlSecretSpans(text: string): Span[] {
  const spans: Span[] = [];
  if (!text.includes('://')) return spans;
  const none = text.length;
  const stops = new Occurrences(text, /[\s"'`]/g, none);
  const ats = new Occurrences(text, /@/g, none);
  const colons = new Occurrences(text, /:/g, none);
  const queryOrFragment = new Occurrences(text, /[?#]/g, none);
  const questions = new Occurrences(text, /\?/g, none);
  const hashes = new Occurrences(text, /#/g, none);
  const found = { amp: new Occurrences(text, /&/g, none), equals: new Occurrences(text, /=/g, none) };
  let previousQueryEnd = -1;
  for (const start of schemeEnds(text)) {
    const end = stops.next(start);
    const firstAt = ats.next(start);
    let hostStart = start;
    if (firstAt < end) {
      const queryStart = queryOrFragment.next(firstAt);
      const at = ats.last(queryStart < end ? queryStart : end - 1);
      const colon = colons.next(start);
      if (colon < at - 1) spans.push([colon + 1, at]);
      hostStart = at + 1;
    }
    const question = questions.next(hostStart);
    if (question < end) {
      const queryEnd = Math.min(hashes.next(question), end);
      spans.push(...querySpans(text, question + 1, queryEnd, queryEnd === previousQueryEnd, found));
      previousQueryEnd = queryEnd;
    }
  }
  return spans;
}

/** `***`, or with placeholders kept, `***${PW}` / `${PW:-***}` for a secret holding `${...}`. */
function maskSecret(text: string, placeholders: boolean): string {
  if (text === '') return text;
  if (!placeholders || !text.includes('${')) return MASK;
  try {
    return renderMasked(parseTemplate(text));
  } catch (error) {
    if (isConnectorError(error)) return MASK;
    throw error;
  }
}

function renderMasked(parts: readonly TemplatePart[]): string {
  const rendered = parts.map((part) => {
    if (typeof part === 'string') return MASK;
    const isDefault = part.operator === ':-' || part.operator === '-';
    return `\${${part.name}${part.operator}${isDefault ? renderMasked(part.word) : part.wordSource}}`;
  });
  return rendered.join('').replaceAll(`${MASK}${MASK}`, MASK);
}

function maskSpans(text: string, spans: readonly Span[], placeholders: boolean): string {
  let result = '';
  let cursor = 0;
  for (const [start, end] of [...spans].sort((a, b) => a[0] - b[0])) {
    // Spans overlap when a URL sits inside another's query; mask only what is not masked yet.
    const from = Math.max(start, cursor);
    if (end <= from) continue;
    result += text.slice(cursor, from) + maskSecret(text.slice(from, end), placeholders);
    cursor = end;
  }
  return result + text.slice(cursor);
}

/** The substrings of a string value that are secret: all of it in a secret field, and URL credentials. */
export function secretsIn(text: string, secret: boolean): string[] {
  const parts = urlSecretSpans(text).map(([start, end]) => text.slice(start, end));
  return secret ? [text, ...parts] : parts;
}

/**
 * Registers for redaction every secret string in `config`: by name, by declared pointer, URL
 * credentials; only those `keep` accepts.
 */
export function registerSecretsIn(
  config: unknown,
  secrets: readonly string[] = [],
  keep: (value: string) => boolean = () => true,
): void {
  mapLeaves(config, (leaf, pointer) => {
    if (typeof leaf !== 'string') return;
    for (const value of secretsIn(leaf, isSecretField(pointer, secrets)))
      if (keep(value)) registerSecret(value);
  });
}

/**
 * Masks one string value. URL credentials are masked wherever they appear; a secret field is
 * masked whole, unless it is a URL with credentials, which keeps its user, host and path visible.
 */
export function maskString(text: string, secret: boolean, placeholders = true): string {
  const spans = urlSecretSpans(text);
  if (secret && spans.length === 0) return maskSecret(text, placeholders);
  return maskSpans(text, spans, placeholders);
}

const SOURCE_KEY = /(["']?)([A-Za-z0-9_.-]+)\1[ \t]*[:=][ \t]*/g;

/** A line of a config file safe to quote: the value after a secret key, and URL credentials, masked. */
export function maskSourceLine(line: string): string {
  for (const match of line.matchAll(SOURCE_KEY)) {
    if (!isSecretName(match[2]!)) continue;
    const valueStart = match.index + match[0].length;
    const value = line.slice(valueStart);
    return line.slice(0, valueStart) + (value.trim() === '' ? value : maskSecret(value, true));
  }
  return maskString(line, false);
}

/**
 * A copy of `config` with every secret replaced by `***`: fields declared in `secrets` or with a
 * common secret name (and everything under them), URL passwords and secret query parameters.
 * `at` is the JSON Pointer of `config` inside a larger config, so the names above it still count.
 */
export function maskConfig<T>(config: T, options: MaskOptions = {}, at = ''): T {
  const { secrets = [], placeholders = true } = options;
  const mask = (leaf: unknown, pointer: string) => {
    const secret = isSecretField(pointer, secrets);
    if (typeof leaf === 'string') return maskString(leaf, secret, placeholders);
    // A null secret prints as the mask too: whether a secret is set is not for the output to say.
    return secret && leaf !== undefined ? MASK : leaf;
  };
  return mapLeaves(config, mask, at) as T;
}
