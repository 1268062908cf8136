import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { interpolate, isConnectorError, MASK, maskConfig, parseReference } from '../src/index.js';

const env = { A: 'a', EMPTY: '', B_1: 'b' };
/** Strings made mostly of the characters the grammar cares about, so the parser's corners are reached. */
const templateLike = fc.string({
  unit: fc.constantFrom('$', '{', '}', ':', '-', '?', 'A', 'B_1', 'EMPTY', '_', '1', ' ', 'x'),
  maxLength: 40,
});
const anyText = fc.oneof(
  fc.string({ maxLength: 60 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  templateLike,
);

describe('interpolation and reference parsers never fail with anything but a ConnectorError', () => {
  test('interpolate returns a string or throws CONFIG_INVALID / MISSING_ENV', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        try {
          expect(typeof interpolate(text, env)).toBe('string');
        } catch (error) {
          expect(isConnectorError(error) && ['CONFIG_INVALID', 'MISSING_ENV'].includes(error.code)).toBe(
            true,
          );
        }
      }),
      { numRuns: 1500 },
    );
  });

  test('text without "${" comes back unchanged, and escaping every "${" as "$${" gives back any text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        if (!text.includes('${')) expect(interpolate(text, {})).toBe(text);
        expect(
          interpolate(
            text.replaceAll('${', () => '$${'),
            {},
          ),
        ).toBe(text);
      }),
      { numRuns: 1000 },
    );
  });

  test('parseReference returns parts that spell the reference again, or throws INVALID_REFERENCE', () => {
    const referenceLike = fc.string({
      unit: fc.constantFrom('@', '.', 'a', 'Z', '1', '-', '_', ' ', 'é'),
      maxLength: 20,
    });
    fc.assert(
      fc.property(fc.oneof(anyText, referenceLike), (text) => {
        try {
          const { family, alias } = parseReference(text);
          expect(`@${family}${alias === undefined ? '' : `.${alias}`}`).toBe(text);
        } catch (error) {
          expect(isConnectorError(error) && error.code === 'INVALID_REFERENCE').toBe(true);
        }
      }),
      { numRuns: 1500 },
    );
  });

  test('a URL password never survives maskConfig, whatever it holds', () => {
    const password = fc.string({
      unit: fc.constantFrom(...'ABCXYZ0123456789!$&()+,;=:@%~._-'),
      minLength: 6,
      maxLength: 24,
    });
    fc.assert(
      fc.property(password, (secret) => {
        const value = `Qq${secret}`;
        const masked = maskConfig({ url: `mysql://app:${value}@db.internal:3306/x?sslpassword=${value}` });
        expect(masked.url).not.toContain(value);
        expect(masked.url.startsWith(`mysql://app:${MASK}@`)).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });
});
