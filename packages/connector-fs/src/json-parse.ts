import { setOwn } from './own-property.js';

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
