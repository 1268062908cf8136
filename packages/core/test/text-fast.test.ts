import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { canonicalizer, fromText, type LogicalType } from '../src/index.js';

/** What a parser gives for a text: the value, or the code and reason of the refusal. */
function outcome(parse: (text: string) => unknown, text: string): unknown {
  try {
    return { value: parse(text) };
  } catch (error) {
    return { refused: error };
  }
}

const digitsOf = (min: number, max: number) =>
  fc.string({ unit: fc.constantFrom('0', '1', '5', '9'), minLength: min, maxLength: max });

/** Texts near the spellings the shortcuts take: mostly well-formed, often just off (signs, lengths, digits). */
const nearNumber = fc.oneof(
  fc.tuple(fc.constantFrom('', '-', '+', '--'), digitsOf(0, 20)).map(([sign, digits]) => sign + digits),
  fc
    .tuple(
      fc.constantFrom('', '-', '+'),
      digitsOf(0, 14),
      fc.constantFrom('.', '', '..', 'e'),
      digitsOf(0, 6),
    )
    .map(([sign, whole, point, fraction]) => sign + whole + point + fraction),
  fc.string({ unit: fc.constantFrom('0', '1', '9', '-', '.', 'e', '+', ' ', 'x'), maxLength: 12 }),
);
const nearDateTime = fc
  .tuple(
    fc.integer({ min: -1, max: 10_000 }),
    fc.integer({ min: 0, max: 13 }),
    fc.integer({ min: 0, max: 32 }),
    fc.constantFrom('T', ' ', 't'),
    fc.integer({ min: 0, max: 25 }),
    fc.integer({ min: 0, max: 61 }),
    fc.integer({ min: 0, max: 61 }),
    fc.constantFrom('', '.', '.1', '.123', '.000', '.123456', '.12a', '.1234'),
    fc.constantFrom('', 'Z', 'z', '+01:00', 'ZZ'),
    fc.nat(30),
  )
  .map(([y, mo, d, t, h, mi, s, f, z, cut]) => {
    const p = (n: number, w = 2) => String(n).padStart(w, '0');
    const text = `${p(y, 4)}-${p(mo)}-${p(d)}${t}${p(h)}:${p(mi)}:${p(s)}${f}${z}`;
    return cut < 25 ? text : text.slice(0, cut - 15);
  });

const typed = (type: LogicalType, texts: fc.Arbitrary<string>) => [type, texts] as const;

describe('fromText shortcuts agree with the general parser', () => {
  const cases = [
    typed({ kind: 'integer', bits: 8, unsigned: false }, nearNumber),
    typed({ kind: 'integer', bits: 16, unsigned: true }, nearNumber),
    typed({ kind: 'integer', bits: 32, unsigned: false }, nearNumber),
    typed({ kind: 'integer', bits: 32, unsigned: true }, nearNumber),
    typed({ kind: 'integer', bits: 64, unsigned: false }, nearNumber),
    typed({ kind: 'integer', bits: 64, unsigned: true }, nearNumber),
    typed({ kind: 'decimal', precision: 12, scale: 2 }, nearNumber),
    typed({ kind: 'decimal', precision: 5, scale: 0 }, nearNumber),
    typed({ kind: 'decimal', precision: 4, scale: 4 }, nearNumber),
    typed({ kind: 'decimal' }, nearNumber),
    typed(
      { kind: 'date' },
      nearDateTime.map((text) => text.slice(0, 10)),
    ),
    typed({ kind: 'datetime', precision: 0 }, nearDateTime),
    typed({ kind: 'datetime', precision: 3 }, nearDateTime),
    typed({ kind: 'timestamp', precision: 6 }, nearDateTime),
    typed({ kind: 'timestamp', precision: 3 }, nearDateTime),
    typed({ kind: 'boolean' }, fc.constantFrom('1', '0', 'true', 'false', 'TRUE', 't', 'F', 'yes', '', '01')),
  ];
  for (const [type, texts] of cases) {
    test(JSON.stringify(type), () => {
      const fast = fromText(type);
      const general = canonicalizer(type);
      fc.assert(
        fc.property(fc.oneof(texts, fc.string({ maxLength: 30 })), (text) => {
          expect(outcome(fast, text)).toEqual(outcome(general, text));
        }),
        { numRuns: 3_000 },
      );
    });
  }

  test('the spellings a text source holds come back as the general parser gives them', () => {
    expect(fromText({ kind: 'integer', bits: 64, unsigned: false })('-900719925474099')).toBe(
      -900719925474099n,
    );
    expect(fromText({ kind: 'integer', bits: 8, unsigned: false })('-0')).toBe(0);
    expect(fromText({ kind: 'integer', bits: 8, unsigned: false })('007')).toBe(7);
    expect(fromText({ kind: 'decimal', precision: 12, scale: 2 })('40540.35')).toBe('40540.35');
    expect(fromText({ kind: 'decimal', precision: 12, scale: 2 })('-0.00')).toBe('0.00');
    expect(fromText({ kind: 'decimal', precision: 12, scale: 0 })('5.')).toBe('5');
    expect(fromText({ kind: 'decimal', precision: 12, scale: 2 })('040.1')).toBe('40.10');
    expect(fromText({ kind: 'datetime', precision: 3 })('2024-02-29T23:59:59.999')).toBe(
      '2024-02-29T23:59:59.999',
    );
    expect(() => fromText({ kind: 'date' })('2023-02-29')).toThrow();
    expect(() => fromText({ kind: 'integer', bits: 8, unsigned: false })('128')).toThrow();
  });
});
