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
