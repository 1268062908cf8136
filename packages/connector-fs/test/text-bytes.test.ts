import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { TextBytes } from '../src/text-bytes.js';

const ENCODINGS: BufferEncoding[] = ['utf8', 'latin1', 'utf16le'];

/** Text of every kind of code unit: ASCII, latin1, the BMP, astral pairs and lone surrogates. */
const text = fc.string({
  unit: fc.oneof(
    fc.constantFrom('a', ',', '"', '\n', 'é', 'ÿ', '€', '😀', '\ud800', '\udc00'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
});

describe('TextBytes', () => {
  test('appended pieces give the bytes Buffer.from gives each piece, in every encoding', () => {
    fc.assert(
      fc.property(fc.array(text, { maxLength: 20 }), fc.constantFrom(...ENCODINGS), (pieces, encoding) => {
        if (encoding === 'latin1') pieces = pieces.map((piece) => piece.replace(/[^\u0000-\u00ff]/g, '?'));
        const out = new TextBytes(encoding);
        for (const piece of pieces) out.append(piece);
        const expected = Buffer.concat(pieces.map((piece) => Buffer.from(piece, encoding)));
        expect(Buffer.from(out.take()).equals(expected)).toBe(true);
        expect(out.length).toBe(0);
      }),
    );
  });

  test('an integer appends the digits of its text, safe or not, in every encoding', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.oneof(fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), fc.bigInt({ min: -9n, max: 9n })),
          {
            maxLength: 20,
          },
        ),
        fc.constantFrom(...ENCODINGS),
        (values, encoding) => {
          const out = new TextBytes(encoding);
          for (const value of values) {
            out.appendInteger(value);
            out.append(',');
          }
          expect(Buffer.from(out.take()).toString(encoding)).toBe(
            values.map((value) => `${value},`).join(''),
          );
        },
      ),
    );
    const out = new TextBytes('utf8');
    for (const value of [0n, 9007199254740991n, -9007199254740991n, 9007199254740992n, 10n ** 15n])
      out.appendInteger(value);
    expect(Buffer.from(out.take()).toString()).toBe(
      '09007199254740991-90071992547409919007199254740992' + '1' + '0'.repeat(15),
    );
  });

  test('chunks far beyond the first buffer keep every byte, chunk after chunk', () => {
    const out = new TextBytes('utf8');
    for (const size of [100_000, 5_000_000, 10]) {
      const piece = 'é,x'.repeat(size);
      out.append('start');
      out.append(piece);
      expect(Buffer.from(out.take()).toString('utf8')).toBe(`start${piece}`);
    }
  });

  test('latin1 refuses what it cannot hold instead of writing other characters', () => {
    const out = new TextBytes('latin1');
    expect(() => out.append('price: 5 €')).toThrow(expect.objectContaining({ code: 'VALUE_INVALID' }));
  });
});
