/**
 * Exact decimal text: parses `-1.5e3`, `+0012.50`, `.5` and brings it to the canonical spelling for a
 * precision and scale (plain notation, exactly `scale` fraction digits), with no arithmetic on floats.
 */

const DECIMAL = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d{1,6}))?$/;

/** Why a text is no decimal, or does not fit. */
export interface DecimalProblem {
  /** `VALUE_INVALID` or `VALUE_OUT_OF_RANGE`. */
  code: 'VALUE_INVALID' | 'VALUE_OUT_OF_RANGE';
  /** What is wrong, naming no value. */
  reason: string;
}

/** The canonical text of a decimal at `precision`/`scale` (both absent: unbounded), or why there is none. */
export function decimalText(
  text: string,
  precision: number | undefined,
  scale: number | undefined,
): string | DecimalProblem {
  const match = DECIMAL.exec(text.trim());
  if (match === null || (match[2] === '' && (match[3] ?? '') === '')) {
    return { code: 'VALUE_INVALID', reason: 'is not a decimal number' };
  }
  const [, sign, whole = '', given = '', exponent] = match;
  let integer = whole;
  let fraction = given;
  const shift = exponent === undefined ? 0 : Number(exponent);
  if (shift > 0) {
    integer += fraction.slice(0, shift).padEnd(shift, '0');
    fraction = fraction.slice(shift);
  } else if (shift < 0) {
    fraction = integer.slice(shift).padStart(-shift, '0') + fraction;
    integer = integer.slice(0, shift);
  }
  integer = integer.replace(/^0+(?=\d)/, '') || '0';
  if (scale !== undefined) {
    if (fraction.length > scale && /[1-9]/.test(fraction.slice(scale))) {
      return { code: 'VALUE_OUT_OF_RANGE', reason: `has more than ${scale} digits after the point` };
    }
    fraction = fraction.slice(0, scale).padEnd(scale, '0');
  }
  if (precision !== undefined) {
    const room = precision - (scale ?? 0);
    if (integer !== '0' && integer.length > room) {
      return { code: 'VALUE_OUT_OF_RANGE', reason: `has more than ${room} digits before the point` };
    }
  }
  const zero = /^0*$/.test(integer) && /^0*$/.test(fraction);
  const body = fraction === '' ? integer : `${integer}.${fraction}`;
  return sign === '-' && !zero ? `-${body}` : body;
}
