import { bytesText, jsonText, parseJson } from '@osiris/connector-fs';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';

/** JSON values plus integers of any size. */
const exactValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string({ unit: 'grapheme' }),
    fc.double({ noNaN: true, noDefaultInfinity: true }).map((n) => (Object.is(n, -0) ? 0 : n)),
    // Integers whose digits are not how JavaScript writes the nearest double: those come back as bigints.
    fc.bigInt({ min: -(2n ** 128n), max: 2n ** 128n }).filter((n) => `${Number(n)}` !== `${n}`),
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 }),
  ),
})).value;

describe('jsonText / parseJson', () => {
  test('for plain JSON values jsonText is JSON.stringify, except that -0 keeps its sign', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const signed = JSON.stringify(value, (_key, item) => (Object.is(item, -0) ? '\u0000-0' : item));
        return jsonText(value) === signed.replaceAll('"\\u0000-0"', '-0');
      }),
    );
  });

  test('parseJson reads back what jsonText wrote, big integers exactly', () => {
    fc.assert(
      fc.property(exactValue, (value) => {
        expect(parseJson(jsonText(value))).toEqual(value);
      }),
    );
  });

  test('parseJson agrees with JSON.parse on any JSON text, on its exact path too', () => {
    fc.assert(
      fc.property(fc.jsonValue(), fc.constantFrom(undefined, ' ', '\t', '\n'), (value, space) => {
        // The 16-digit number sends the text down the exact parser.
        const text = JSON.stringify([value, 1234567890123456, 2 ** 53], null, space);
        expect(parseJson(text)).toEqual(JSON.parse(text));
      }),
    );
  });

  test('integers beyond 2^53: bigint when a double would round them, number when they are a double as written', () => {
    const text = '[9007199254740993, 9007199254740992, -9223372036854775808, 18446744073709552000, 1e30]';
    expect(parseJson(text)).toEqual([9007199254740993n, 2 ** 53, -(2n ** 63n), 2 ** 64, 1e30]);
  });

  test('"__proto__" is an own key on the exact path too, as JSON.parse makes it', () => {
    const value = parseJson('{"__proto__": {"big": 12345678901234567890}}') as Record<string, unknown>;
    expect(Object.getPrototypeOf(value)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(value, '__proto__')?.value).toEqual({
      big: 12345678901234567890n,
    });
  });

  test('the exact parser rejects what JSON.parse rejects', () => {
    for (const text of [
      '{"a":12345678901234567890,}',
      '[12345678901234567890',
      '{"a" 12345678901234567890}',
      '12345678901234567890x',
    ]) {
      expect(() => parseJson(text), text).toThrow(SyntaxError);
      expect(() => JSON.parse(text)).toThrow(SyntaxError);
    }
  });

  test('explicit forms: non-finite numbers as strings, dates as ISO, bytes as base64, -0 kept', () => {
    expect(jsonText([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0])).toBe(
      '["NaN","Infinity","-Infinity",-0]',
    );
    expect(Object.is(JSON.parse(jsonText(-0)), -0)).toBe(true);
    expect(jsonText({ at: new Date('2024-01-01T00:00:00Z'), bad: new Date(Number.NaN) })).toBe(
      '{"at":"2024-01-01T00:00:00.000Z","bad":null}',
    );
    expect(bytesText(new Uint8Array([1, 171]))).toBe('Aas=');
    expect(jsonText({ skip: undefined, f: () => 1, keep: [undefined] })).toBe('{"keep":[null]}');
  });
});
