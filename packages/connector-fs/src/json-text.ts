import { ConnectorError } from '@osiris/core';
import { setOwn } from './own-property.js';

/**
 * JSON text of a value, exact where `JSON.stringify` is not: a `bigint` is written as its digits
 * (`9223372036854775807`), `NaN`/`Infinity`/`-Infinity` as those strings rather than a silent
 * `null`, bytes as `"\x<hex>"` (PostgreSQL's bytea text form), a `Date` as its ISO 8601 UTC string
 * (an invalid one as `null`). Keys keep insertion order, so equal input gives equal text.
 */
export function jsonText(value: unknown, seen: Set<object> = new Set()): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? numberText(value) : `"${value}"`;
    case 'bigint':
      return `${value}`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'null';
    case 'object':
      return value === null ? 'null' : objectText(value, seen);
    default:
      throw unsupportedValue(value);
  }
}

/**
 * A number's shortest round-trip text (`0.1`, `1e+21`, `-0` as `0`), as `String(value)` gives it. For
 * anything but a small integer it comes from `JSON.stringify`, which writes the same digits without
 * going through V8's number-to-string cache: each entry of that cache outlives a young-generation GC,
 * so converting millions of distinct doubles would pile garbage into the old generation.
 */
export function numberText(value: number): string {
  return (value | 0) === value || !Number.isFinite(value) ? `${value}` : JSON.stringify(value);
}

function objectText(value: object, seen: Set<object>): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'null' : `"${value.toISOString()}"`;
  if (value instanceof Uint8Array) return JSON.stringify(bytesText(value));
  if (seen.has(value)) throw unsupportedValue(value, 'it contains itself');
  seen.add(value);
  let text: string;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    text = jsonText((value as { toJSON(): unknown }).toJSON(), seen);
  } else if (Array.isArray(value)) {
    text = `[${value.map((item) => (isOmitted(item) ? 'null' : jsonText(item, seen))).join(',')}]`;
  } else {
    const members: string[] = [];
    for (const [key, item] of Object.entries(value)) {
      if (!isOmitted(item)) members.push(`${JSON.stringify(key)}:${jsonText(item, seen)}`);
    }
    text = `{${members.join(',')}}`;
  }
  seen.delete(value);
  return text;
}

/** Bytes as PostgreSQL writes `bytea`: `\x` then two hex digits a byte. */
export function bytesText(bytes: Uint8Array): string {
  return `\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;
}

const isOmitted = (value: unknown) =>
  value === undefined || typeof value === 'function' || typeof value === 'symbol';

export function unsupportedValue(value: unknown, reason = `a ${typeof value} has no text form`) {
  return new ConnectorError(`Cannot write the value ${String(value).slice(0, 60)}: ${reason}`, {
    code: 'INVALID_VALUE',
    category: 'unsupported',
    hint: 'Convert the value to a string, number, boolean, Date, bigint, bytes, array or plain object first',
  });
}

/** Integers with 16 or more digits may be beyond 2^53: only then is the exact (slower) parser needed. */
const LONG_DIGIT_RUN = /\d{16}/;

/**
 * `JSON.parse`, except that an integer beyond 2^53 that a double would round (`9223372036854775807`)
 * becomes a `bigint`, so no digit written from a bigint is lost; the digits JavaScript writes for a
 * double read back as that double.
 */
export function parseJson(text: string): unknown {
  return LONG_DIGIT_RUN.test(text) ? new ExactJsonParser(text).document() : JSON.parse(text);
}

const NUMBER = /-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/y;
const STRING_BODY = /(?:[^"\\\u0000-\u001f]|\\["\\/bfnrt]|\\u[0-9a-fA-F]{4})*"/y;
const WHITESPACE = /[ \t\n\r]*/y;

class ExactJsonParser {
  private position = 0;

  constructor(private readonly text: string) {}

  document(): unknown {
    const value = this.value();
    this.skipWhitespace();
    if (this.position !== this.text.length) this.fail('Unexpected text after the JSON value');
    return value;
  }

  private value(): unknown {
    this.skipWhitespace();
    const char = this.text[this.position];
    if (char === '{') return this.object();
    if (char === '[') return this.array();
    if (char === '"') return this.string();
    for (const [word, value] of LITERALS) {
      if (this.text.startsWith(word, this.position)) {
        this.position += word.length;
        return value;
      }
    }
    return this.number();
  }

  private object(): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    this.position++;
    if (this.peekAfterWhitespace() === '}') {
      this.position++;
      return result;
    }
    do {
      this.skipWhitespace();
      if (this.text[this.position] !== '"') this.fail('Expected a property name');
      const key = this.string();
      if (this.peekAfterWhitespace() !== ':') this.fail('Expected ":"');
      this.position++;
      setOwn(result, key, this.value());
    } while (this.separator('}'));
    return result;
  }

  private array(): unknown[] {
    const result: unknown[] = [];
    this.position++;
    if (this.peekAfterWhitespace() === ']') {
      this.position++;
      return result;
    }
    do result.push(this.value());
    while (this.separator(']'));
    return result;
  }

  /** Consumes `,` (true: another member follows) or `close` (false). */
  private separator(close: string): boolean {
    const char = this.peekAfterWhitespace();
    this.position++;
    if (char === ',') return true;
    if (char !== close) this.fail(`Expected "," or "${close}"`);
    return false;
  }

  private string(): string {
    STRING_BODY.lastIndex = this.position + 1;
    if (!STRING_BODY.test(this.text)) this.fail('Unterminated or invalid string');
    const start = this.position;
    this.position = STRING_BODY.lastIndex;
    return JSON.parse(this.text.slice(start, this.position)) as string;
  }

  private number(): number | bigint {
    NUMBER.lastIndex = this.position;
    const match = NUMBER.exec(this.text);
    if (match === null) this.fail('Unexpected character');
    this.position = NUMBER.lastIndex;
    const value = Number(match[0]);
    const isInteger = match[1] === undefined && match[2] === undefined;
    if (!isInteger || Number.isSafeInteger(value)) return value;
    // Digits JavaScript writes for a double (`2 ** 64` → 18446744073709552000) are that double;
    // any others (a bigint's) would be rounded, so they stay exact as a bigint.
    return `${value}` === match[0] ? value : BigInt(match[0]);
  }

  private skipWhitespace(): void {
    WHITESPACE.lastIndex = this.position;
    WHITESPACE.test(this.text);
    this.position = WHITESPACE.lastIndex;
  }

  private peekAfterWhitespace(): string | undefined {
    this.skipWhitespace();
    return this.text[this.position];
  }

  private fail(reason: string): never {
    throw new SyntaxError(`${reason} in JSON at position ${this.position}`);
  }
}

const LITERALS: ReadonlyArray<readonly [string, unknown]> = [
  ['true', true],
  ['false', false],
  ['null', null],
];
