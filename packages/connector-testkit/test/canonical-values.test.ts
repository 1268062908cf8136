import { describe, expect, test } from 'vitest';
import { canonicalCheck, sameValue } from '../src/support/canonical-values.js';

describe('canonical values', () => {
  test('a value is canonical when core hands it back unchanged', () => {
    expect(canonicalCheck({ kind: 'integer', bits: 64, unsigned: false })(1n)).toBeUndefined();
    expect(canonicalCheck({ kind: 'float', bits: 64 })(-0)).toBeUndefined();
    expect(canonicalCheck({ kind: 'float', bits: 64 })(Number.NaN)).toBeUndefined();
    expect(canonicalCheck({ kind: 'bytes' })(Buffer.from([0, 255]))).toBeUndefined();
    expect(canonicalCheck({ kind: 'bytes' })(new Uint8Array([0, 255]))).toBeUndefined();
    expect(canonicalCheck({ kind: 'decimal', precision: 5, scale: 2 })(null)).toBeUndefined();
  });

  test('names the canonical value a non-canonical one stands for, or why it is no value of the type', () => {
    expect(canonicalCheck({ kind: 'integer', bits: 32, unsigned: false })(-0)).toBe(
      "number -0 is not the canonical value of integer(32), which is number 0 (core's canonicalizer turns one into the other)",
    );
    expect(canonicalCheck({ kind: 'integer', bits: 64, unsigned: false })(7)).toContain(
      'number 7 is not the canonical value of integer(64), which is bigint 7n',
    );
    expect(canonicalCheck({ kind: 'set', members: ['a', 'b'] })('b,a')).toContain("which is string 'a,b'");
    expect(canonicalCheck({ kind: 'bytes' })('AAE=')).toBe(
      "string 'AAE=' is not a value of bytes at all: it is not bytes (a Uint8Array); text is not taken as bytes, since its encoding is unknown",
    );
  });

  test('bytes are the same by content, -0 is not 0, NaN is NaN', () => {
    expect(sameValue(Buffer.from([1, 2]), new Uint8Array([1, 2]))).toBe(true);
    expect(sameValue(Buffer.from([1, 2]), new Uint8Array([1, 3]))).toBe(false);
    expect(sameValue(-0, 0)).toBe(false);
    expect(sameValue(Number.NaN, Number.NaN)).toBe(true);
    expect(sameValue(1n, 1)).toBe(false);
  });
});
