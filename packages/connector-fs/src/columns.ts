/**
 * Orders strings by Unicode code point, the same in every locale and runtime (`Array.prototype.sort`
 * compares UTF-16 code units, which puts U+FF5E before U+1F600).
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}
