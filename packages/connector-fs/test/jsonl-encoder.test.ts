import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { jsonText } from '../src/json-text.js';
import { JsonLinesEncoder } from '../src/jsonl/encoder.js';
import { TextBytes } from '../src/text-bytes.js';

/** Strings of what JSON escapes (quotes, backslashes, control characters, lone surrogates) and what it does not. */
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom('"', '\\', '\n', '\u0000', '\u001f', '\u2028', 'é', '😀', '\ud800', '\udfff', 'a'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
});

describe('JsonLinesEncoder', () => {
  test("any strings, integers and other values give jsonText's text, key by key, in every encoding", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(text, fc.bigInt(), fc.oneof(fc.double(), fc.boolean(), fc.constant(null))), {
          maxLength: 10,
        }),
        fc.constantFrom<BufferEncoding>('utf8', 'utf16le'),
        (rows, encoding) => {
          const out = new TextBytes(encoding);
          new JsonLinesEncoder().records(rows, ['s', 'n', 'v'], [0, 1, 2], out);
          const expected = rows
            .map(([s, n, v]) => `{"s":${jsonText(s)},"n":${jsonText(n)},"v":${jsonText(v)}}\n`)
            .join('');
          expect(Buffer.from(out.take()).toString(encoding)).toBe(expected);
        },
      ),
    );
  });
});
