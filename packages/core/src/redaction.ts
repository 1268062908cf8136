/** The one mask string every masked or redacted secret becomes. */
export const MASK = '***';

/**
 * Values shorter than this are not redacted by value: scrubbing every "ab" from every message
 * would make errors unreadable. Such secrets are still masked by key.
 */
const MIN_REDACTED_LENGTH = 4;

interface RedactorState {
  secrets: Set<string>;
  /** Built from `secrets` when first needed: literals for long values, regexes of bounded size for the rest. */
  matchers: Array<string | RegExp> | undefined;
}

/**
 * One regex of every secret can grow past what V8 compiles ("Regular expression too large"): long values are
 * replaced as literals, and the others go into several regexes of bounded size, longest values first.
 */
const LITERAL_LENGTH = 1_000;
const PATTERN_LENGTH = 32_000;

// Kept on globalThis so two copies of @osiris/core in one process still share what is secret.
const STATE_KEY = Symbol.for('osiris.redactor.v1');
const globalSlots = globalThis as Record<symbol, RedactorState | undefined>;
globalSlots[STATE_KEY] ??= { secrets: new Set<string>(), matchers: undefined };
const state = globalSlots[STATE_KEY];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The spellings of a secret that end up in messages: as is, URL-encoded, form-encoded and JSON-escaped. */
function spellings(value: string): string[] {
  const encoded = encodeURIComponent(value);
  return [value, encoded, encoded.replace(/%20/g, '+'), JSON.stringify(value).slice(1, -1)];
}

/** Remembers a secret value so that `redact` scrubs it from every message produced from now on. */
export function registerSecret(value: unknown): void {
  if (typeof value !== 'string' || value.length < MIN_REDACTED_LENGTH) return;
  let added = false;
  for (const spelling of spellings(value)) {
    if (!state.secrets.has(spelling)) {
      state.secrets.add(spelling);
      added = true;
    }
  }
  if (added) state.matchers = undefined;
}

/** Replaces every registered secret value in `text` with the mask. */
export function redact(text: string): string {
  if (state.secrets.size === 0) return text;
  state.matchers ??= buildMatchers([...state.secrets].sort((a, b) => b.length - a.length));
  let result = text;
  for (const matcher of state.matchers) {
    if (typeof matcher !== 'string') result = result.replace(matcher, MASK);
    else if (result.includes(matcher)) result = result.split(matcher).join(MASK);
  }
  return result;
}

function buildMatchers(longestFirst: readonly string[]): Array<string | RegExp> {
  const matchers: Array<string | RegExp> = [];
  let chunk: string[] = [];
  let size = 0;
  const flush = () => {
    if (chunk.length > 0) matchers.push(new RegExp(chunk.join('|'), 'g'));
    chunk = [];
    size = 0;
  };
  for (const secret of longestFirst) {
    if (secret.length > LITERAL_LENGTH) {
      matchers.push(secret);
      continue;
    }
    const escaped = escapeRegExp(secret);
    if (size + escaped.length > PATTERN_LENGTH) flush();
    chunk.push(escaped);
    size += escaped.length + 1;
  }
  flush();
  return matchers;
}

/** Deep copy of plain data with every string passed through `redact`. */
export function redactDeep<T>(value: T, seen = new WeakMap<object, unknown>()): T {
  if (typeof value === 'string') return redact(value) as T;
  if (value === null || typeof value !== 'object') return value;
  if (seen.has(value)) return seen.get(value) as T;
  if (Array.isArray(value)) {
    const copy: unknown[] = [];
    seen.set(value, copy);
    for (const item of value) copy.push(redactDeep(item, seen));
    return copy as T;
  }
  if (value instanceof Date || Buffer.isBuffer(value) || value instanceof Uint8Array) return value;
  const copy: Record<string, unknown> = {};
  seen.set(value, copy);
  for (const [key, item] of Object.entries(value)) copy[key] = redactDeep(item, seen);
  return copy as T;
}
