/**
 * Shortcuts of `fromText` for the spellings a text source (a CSV file, a server's text rows) holds for almost
 * every value: plain integers, decimals and date-times already in canonical form. Each recognises its spelling
 * by char codes, with no regular expression and no intermediate string, and gives exactly what the general
 * parser gives; any other text (signs, exponents, padding, a value out of range, anything invalid) goes to the
 * general parser, which also owns every refusal. `text-fast.test.ts` checks the two agree on random text.
 */
import type { CanonicalValue, LogicalType } from '../contract/types.js';

/** The general parser of one logical type, which the shortcut falls back to. */
type General = (text: string) => CanonicalValue;

const MINUS = 0x2d;
const DOT = 0x2e;
const ZERO = 0x30;

/** The shortcut for a type whose text is worth one, wrapping `general`; undefined for the others. */
export function fastTextReader(type: LogicalType, general: General): General | undefined {
  switch (type.kind) {
    case 'integer':
      return integerReader(type.bits, type.unsigned, general);
    case 'decimal':
      return decimalReader(type.precision, type.scale, general);
    case 'date':
      return (text) => (text.length === 10 && isDay(text) ? text : general(text));
    case 'datetime':
    case 'timestamp': {
      const fraction = type.precision === 0 ? 0 : type.precision + 1;
      const zone = type.kind === 'timestamp' ? 1 : 0;
      const length = 19 + fraction + zone;
      return (text) =>
        text.length === length &&
        isDay(text) &&
        isClock(text, fraction) &&
        (zone === 0 || text.charCodeAt(length - 1) === 0x5a) // 'Z'
          ? text
          : general(text);
    }
    case 'boolean':
      return (text) =>
        text === '1' || text === 'true' ? true : text === '0' || text === 'false' ? false : general(text);
    default:
      return undefined;
  }
}

/** Plain `[-]digits` of up to 15 digits (exact in a double), inside the type's range. */
function integerReader(bits: number, unsigned: boolean, general: General): General {
  const small = bits <= 32;
  const min = unsigned ? 0 : -(2 ** (bits - 1));
  const max = unsigned ? 2 ** bits - 1 : 2 ** (bits - 1) - 1;
  return (text) => {
    const length = text.length;
    const negative = text.charCodeAt(0) === MINUS;
    let at = negative ? 1 : 0;
    if (length === at || length - at > 15) return general(text);
    let value = 0;
    for (; at < length; at++) {
      const digit = text.charCodeAt(at) - ZERO;
      if (digit < 0 || digit > 9) return general(text);
      value = value * 10 + digit;
    }
    if (negative) value = -value;
    if (value < min || value > max) return general(text);
    return small ? value + 0 : BigInt(value); // + 0: -0 is 0 as an integer
  };
}

/**
 * Canonical decimal text: `[-]int[.fraction]`, the integer part without leading zeros and within the
 * precision, exactly `scale` fraction digits (unbounded scale: at least one), not a negative zero.
 */
function decimalReader(precision: number | undefined, scale: number | undefined, general: General): General {
  const room = precision === undefined ? Number.POSITIVE_INFINITY : precision - (scale ?? 0);
  return (text) => {
    const length = text.length;
    const negative = text.charCodeAt(0) === MINUS;
    let at = negative ? 1 : 0;
    const start = at;
    let zero = true;
    for (; at < length; at++) {
      const code = text.charCodeAt(at);
      if (code === DOT) break;
      if (code < ZERO || code > ZERO + 9) return general(text);
      if (code !== ZERO) zero = false;
    }
    const digits = at - start;
    if (digits === 0 || (digits > 1 && text.charCodeAt(start) === ZERO)) return general(text);
    if (digits > room && !(digits === 1 && zero)) return general(text);
    if (at === length - 1) return general(text); // `5.`: the canonical text has no point
    const fraction = at === length ? 0 : length - at - 1;
    if (at < length) {
      for (let i = at + 1; i < length; i++) {
        const code = text.charCodeAt(i);
        if (code < ZERO || code > ZERO + 9) return general(text);
        if (code !== ZERO) zero = false;
      }
    }
    if (scale !== undefined && fraction !== scale) return general(text);
    if (negative && zero) return general(text);
    return text;
  };
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Two decimal digits at `at`, or -1. */
function twoDigits(text: string, at: number): number {
  const high = text.charCodeAt(at) - ZERO;
  const low = text.charCodeAt(at + 1) - ZERO;
  return high >= 0 && high <= 9 && low >= 0 && low <= 9 ? high * 10 + low : -1;
}

/** Whether `text` opens with `YYYY-MM-DD` naming a real day of the proleptic Gregorian calendar. */
function isDay(text: string): boolean {
  if (text.charCodeAt(4) !== MINUS || text.charCodeAt(7) !== MINUS) return false;
  const century = twoDigits(text, 0);
  const rest = twoDigits(text, 2);
  const month = twoDigits(text, 5);
  const day = twoDigits(text, 8);
  if (century < 0 || rest < 0 || month < 1 || month > 12 || day < 1) return false;
  if (day > (DAYS_IN_MONTH[month - 1] as number)) return false;
  if (month !== 2 || day < 29) return true;
  const year = century * 100 + rest;
  return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
}

/** Whether `text` has `THH:MM:SS` at 10 (a real time of day) and then `fraction` characters `.d…`. */
function isClock(text: string, fraction: number): boolean {
  if (text.charCodeAt(10) !== 0x54 || text.charCodeAt(13) !== 0x3a || text.charCodeAt(16) !== 0x3a)
    return false;
  const hours = twoDigits(text, 11);
  const minutes = twoDigits(text, 14);
  const seconds = twoDigits(text, 17);
  if (hours < 0 || hours > 23 || minutes < 0 || minutes > 59 || seconds < 0 || seconds > 59) return false;
  if (fraction === 0) return true;
  if (text.charCodeAt(19) !== DOT) return false;
  for (let at = 20; at < 19 + fraction; at++) {
    const digit = text.charCodeAt(at) - ZERO;
    if (digit < 0 || digit > 9) return false;
  }
  return true;
}
