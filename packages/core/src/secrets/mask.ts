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

const SCHEME = /[A-Za-z][A-Za-z0-9+.-]*:\/\//g;

/** The secret query parameter values in `query` (the text after `?`), shifted by `offset`. */
function querySpans(query: string, offset: number): Span[] {
  const spans: Span[] = [];
  let position = offset;
  for (const pair of query.split('&')) {
    const equals = pair.indexOf('=');
    if (equals > 0 && equals < pair.length - 1 && isSecretName(decodeName(pair.slice(0, equals)))) {
      spans.push([position + equals + 1, position + pair.length]);
    }
    position += pair.length + 1;
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
  for (const match of text.matchAll(SCHEME)) {
    const start = match.index + match[0].length;
    const rest = text.slice(start);
    const end = rest.search(/[\s"'`]|$/);
    const firstAt = rest.indexOf('@');
    let hostStart = 0;
    if (firstAt >= 0 && firstAt < end) {
      const queryStart = rest.slice(firstAt, end).search(/[?#]/);
      const at = rest.lastIndexOf('@', queryStart < 0 ? end - 1 : firstAt + queryStart);
      const colon = rest.indexOf(':');
      if (colon >= 0 && colon < at - 1) spans.push([start + colon + 1, start + at]);
      hostStart = at + 1;
    }
    const question = rest.indexOf('?', hostStart);
    if (question >= 0 && question < end) {
      const queryEnd = rest.slice(question, end).search(/#|$/) + question;
      spans.push(...querySpans(rest.slice(question + 1, queryEnd), start + question + 1));
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
