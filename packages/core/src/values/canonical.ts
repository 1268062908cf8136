/**
 * Turns a value bound for a column of a logical type into that type's canonical value, or says why it cannot
 * arrive exactly. Besides canonical values it takes their text forms (what an untyped CSV holds) and a few
 * JS values that convert without loss: a sink calls it for every value whose source type does not fit.
 */
import type { CanonicalValue, LogicalType } from '../contract/types.js';
import { decimalText } from './decimal-text.js';
import { describeType } from './describe.js';

/** Why a value cannot be stored exactly: not a value of the type at all, or one that does not fit it. */
export class ValueProblem {
  constructor(
    /** `VALUE_INVALID` (not a value of the type) or `VALUE_OUT_OF_RANGE` (too big, too precise, not a member). */
    readonly code: 'VALUE_INVALID' | 'VALUE_OUT_OF_RANGE',
    /** What is wrong, in words that name no value (values may be personal data). */
    readonly reason: string,
  ) {}
}

/** Any value but null and undefined, which every canonicalizer maps to null before converting. */
type Present = NonNullable<unknown>;

/** A function from any value to the canonical value of one logical type; it throws a `ValueProblem`. */
export type Canonicalizer = (value: unknown) => CanonicalValue;

/** The canonicalizer for one logical type; null and undefined become null. */
export function canonicalizer(type: LogicalType): Canonicalizer {
  const convert = converterOf(type);
  return (value) => (value === null || value === undefined ? null : convert(value));
}

function converterOf(type: LogicalType): (value: Present) => CanonicalValue {
  switch (type.kind) {
    case 'string':
      return stringOf(type.maxLength);
    case 'integer':
      return integerOf(type.bits, type.unsigned);
    case 'decimal':
      return (value) => {
        const text = typeof value === 'string' ? value : numericText(value, 'decimal');
        const result = decimalText(text, type.precision, type.scale);
        if (typeof result === 'string') return result;
        throw new ValueProblem(result.code, `${result.reason} for ${describeType(type)}`);
      };
    case 'float':
      return floatOf(type.bits);
    case 'boolean':
      return booleanOf;
    case 'date':
      return (value) => {
        if (value instanceof Date) return dateOfInstant(value);
        const text = mustBeString(value, 'date');
        if (!DATE.test(text) || !isRealDay(text)) throw invalid('is not a date YYYY-MM-DD');
        return text;
      };
    case 'time':
      return (value) => timeOf(mustBeString(value, 'time'), type.precision);
    case 'datetime': {
      const canonical = canonicalDateTime(type.precision, false);
      return (value) => {
        if (typeof value === 'string' && canonical.test(value) && isRealDay(value)) return value;
        return value instanceof Date
          ? instantText(value, type.precision).slice(0, -1)
          : dateTimeOf(mustBeString(value, 'datetime'), type.precision, false);
      };
    }
    case 'timestamp': {
      const canonical = canonicalDateTime(type.precision, true);
      return (value) => {
        if (typeof value === 'string' && canonical.test(value) && isRealDay(value)) return value;
        return value instanceof Date
          ? instantText(value, type.precision)
          : dateTimeOf(mustBeString(value, 'timestamp'), type.precision, true);
      };
    }
    case 'bytes':
      return (value) => {
        if (!(value instanceof Uint8Array)) {
          throw invalid(
            'is not bytes (a Uint8Array); text is not taken as bytes, since its encoding is unknown',
          );
        }
        if (type.maxLength !== undefined && value.byteLength > type.maxLength) {
          throw outOfRange(`has ${value.byteLength} bytes, more than ${type.maxLength}`);
        }
        return value;
      };
    case 'json':
      return jsonOf;
    case 'enum': {
      const members = new Set(type.members);
      return (value) => {
        if (typeof value === 'string' && members.has(value)) return value;
        throw outOfRange(`is not one of the members of ${describeType(type)}`);
      };
    }
    case 'set':
      return setOf(type.members);
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIME = /^(-?)(\d{2,}):([0-5]\d):([0-5]\d)(?:\.(\d+))?$/;
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})[T ]([01]\d|2[0-3]):([0-5]\d):([0-5]\d)(?:\.(\d+))?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;
/** Text already canonical at a precision (checked first: the common case of text a connector wrote itself). */
function canonicalDateTime(precision: number, instant: boolean): RegExp {
  const digits = precision === 0 ? '' : `\\.\\d{${precision}}`;
  return new RegExp(
    `^\\d{4}-\\d{2}-\\d{2}T(?:[01]\\d|2[0-3]):[0-5]\\d:[0-5]\\d${digits}${instant ? 'Z' : ''}$`,
  );
}
/** Decimal text that `parseFloat` reads to the same double as `Number` (and faster), without the checks for words and signs. */
const PLAIN_FLOAT_TEXT = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const FLOAT_TEXT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$|^[+-]?(?:infinity|inf)$|^nan$/i;
const INTEGER_TEXT = /^[+-]?\d+$/;

function invalid(reason: string): ValueProblem {
  return new ValueProblem('VALUE_INVALID', reason);
}

function outOfRange(reason: string): ValueProblem {
  return new ValueProblem('VALUE_OUT_OF_RANGE', reason);
}

function mustBeString(value: unknown, kind: string): string {
  if (typeof value !== 'string') throw invalid(`is a ${typeName(value)}, not ${kind} text`);
  return value;
}

function typeName(value: unknown): string {
  if (value instanceof Uint8Array) return 'byte array';
  if (value instanceof Date) return 'Date';
  return Array.isArray(value) ? 'array' : typeof value;
}

/**
 * The decimal text of a number without loss: `-0` keeps its sign, integers and shortest round-trip digits
 * otherwise (`String(value)`'s). Beyond small integers it comes from `JSON.stringify`, which writes the same
 * digits without V8's number-to-string cache: each entry of that cache outlives a young-generation GC, so
 * converting millions of distinct doubles (a sink's text) would pile garbage into the old generation.
 */
export function numberText(value: number): string {
  if ((value | 0) === value) return value === 0 && 1 / value < 0 ? '-0' : `${value}`;
  return Number.isFinite(value) ? JSON.stringify(value) : String(value);
}

function numericText(value: unknown, kind: string): string {
  if (typeof value === 'bigint') return String(value);
  if (typeof value === 'number' && Number.isFinite(value)) return numberText(value);
  throw invalid(`is a ${typeName(value)}, not ${kind}`);
}

function stringOf(maxLength: number | undefined): (value: Present) => string {
  return (value) => {
    let text: string;
    if (typeof value === 'string') text = value;
    else if (typeof value === 'number') text = numberText(value);
    else if (typeof value === 'bigint' || typeof value === 'boolean') text = String(value);
    else throw invalid(`is a ${typeName(value)}, not text`);
    // Code points, not UTF-16 units: a column of 10 characters holds 10 emoji.
    if (maxLength !== undefined && text.length > maxLength) {
      const length = [...text].length;
      if (length > maxLength) throw outOfRange(`has ${length} characters, more than ${maxLength}`);
    }
    return text;
  };
}

function integerOf(bits: number, unsigned: boolean): (value: Present) => number | bigint {
  const min = unsigned ? 0n : -(1n << BigInt(bits - 1));
  const max = unsigned ? (1n << BigInt(bits)) - 1n : (1n << BigInt(bits - 1)) - 1n;
  const small = bits <= 32;
  const range = `integer(${bits}${unsigned ? ', unsigned' : ''})`;
  const minNumber = Number(min);
  const maxNumber = Number(max);
  return (value) => {
    if (typeof value === 'number' && Number.isInteger(value)) {
      if (small) {
        if (value < minNumber || value > maxNumber) throw outOfRange(`is outside ${range}`);
        return value + 0; // -0 is 0 as an integer
      }
      value = BigInt(value);
    } else if (typeof value === 'string' && INTEGER_TEXT.test(value)) {
      value = BigInt(value);
    }
    if (typeof value !== 'bigint') throw invalid(`is not a whole number (${typeName(value)})`);
    if (value < min || value > max) throw outOfRange(`is outside ${range}`);
    return small ? Number(value) : value;
  };
}

function floatOf(bits: 32 | 64): (value: Present) => number {
  return (value) => {
    let number: number;
    if (typeof value === 'number') number = value;
    else if (typeof value === 'string' && PLAIN_FLOAT_TEXT.test(value)) number = Number.parseFloat(value);
    else if (typeof value === 'string' && FLOAT_TEXT.test(value.trim()))
      number = parseFloatText(value.trim());
    else if (typeof value === 'bigint' && isExactDouble(value)) number = Number(value);
    else throw invalid(`is not a number (${typeName(value)})`);
    if (bits === 32 && Math.fround(number) !== number && !Number.isNaN(number)) {
      throw outOfRange('is not exactly a 32-bit float (a DOUBLE column keeps it)');
    }
    return number;
  };
}

/** Whether a bigint is a double exactly (BigInt() throws on the Infinity a too-large one becomes). */
function isExactDouble(value: bigint): boolean {
  const number = Number(value);
  return Number.isFinite(number) && BigInt(number) === value;
}

function parseFloatText(text: string): number {
  const lower = text.toLowerCase();
  if (lower === 'nan') return Number.NaN;
  if (lower.endsWith('inf') || lower.endsWith('infinity'))
    return lower.startsWith('-') ? -Infinity : Infinity;
  return Number(text);
}

const TRUE_TEXT = new Set(['true', 't', '1']);
const FALSE_TEXT = new Set(['false', 'f', '0']);

function booleanOf(value: Present): boolean {
  if (typeof value === 'boolean') return value;
  if (value === 1 || value === 1n) return true;
  if (value === 0 || value === 0n) return false;
  if (typeof value === 'string') {
    const lower = value.toLowerCase();
    if (TRUE_TEXT.has(lower)) return true;
    if (FALSE_TEXT.has(lower)) return false;
  }
  throw invalid(`is not a boolean (${typeName(value)})`);
}

const DAYS_IN_MONTH = [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Whether `YYYY-MM-DD…` names a real day of the proleptic Gregorian calendar. */
function isRealDay(text: string): boolean {
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(5, 7));
  const day = Number(text.slice(8, 10));
  if (month < 1 || month > 12 || day < 1 || day > (DAYS_IN_MONTH[month - 1] as number)) return false;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return month !== 2 || day < 29 || leap;
}

/** Fraction digits at exactly `precision`: padded with zeros, or cut where the cut digits are all zero. */
function fraction(digits: string | undefined, precision: number): string {
  const given = digits ?? '';
  if (given.length > precision) {
    if (/[1-9]/.test(given.slice(precision))) {
      throw outOfRange(`has more than ${precision} fractional second digits`);
    }
  }
  const exact = given.slice(0, precision).padEnd(precision, '0');
  return precision === 0 ? '' : `.${exact}`;
}

function timeOf(text: string, precision: number): string {
  const match = TIME.exec(text);
  if (match === null) throw invalid('is not a time [-]HH:MM:SS[.fff]');
  const [, sign, hours, minutes, seconds, digits] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
  ];
  return `${sign}${hours}:${minutes}:${seconds}${fraction(digits, precision)}`;
}

function dateTimeOf(text: string, precision: number, instant: boolean): string {
  const match = DATE_TIME.exec(text);
  if (match === null || !isRealDay(text)) {
    throw invalid(
      instant
        ? 'is not a timestamp YYYY-MM-DDTHH:MM:SS[.fff]Z'
        : 'is not a date-time YYYY-MM-DDTHH:MM:SS[.fff]',
    );
  }
  const [, day, hours, minutes, seconds, digits, zone] = match as unknown as [
    string,
    string,
    string,
    string,
    string,
    string?,
    string?,
  ];
  const wallClock = `${day}T${hours}:${minutes}:${seconds}${fraction(digits, precision)}`;
  if (!instant) {
    if (zone !== undefined)
      throw invalid('carries a zone offset, which a date-time without zone cannot keep');
    return wallClock;
  }
  if (zone === undefined) {
    throw invalid('has no zone offset: an instant needs one (append Z for UTC)');
  }
  return toUtc(wallClock, zone);
}

/** A wall-clock reading at `zone` (`Z`, `±HH`, `±HH:MM`, `±HHMM`) as the same instant in UTC, fraction kept. */
function toUtc(wallClock: string, zone: string): string {
  if (zone === 'Z' || zone === 'z' || /^[+-]00:?(00)?$/.test(zone)) return `${wallClock}Z`;
  const sign = zone.startsWith('-') ? -1 : 1;
  const hours = Number(zone.slice(1, 3));
  const minutes = Number(zone.replace(':', '').slice(3, 5) || '0');
  const dot = wallClock.indexOf('.', 19);
  const fractionPart = dot === -1 ? '' : wallClock.slice(dot);
  const date = new Date(0);
  date.setUTCFullYear(
    Number(wallClock.slice(0, 4)),
    Number(wallClock.slice(5, 7)) - 1,
    Number(wallClock.slice(8, 10)),
  );
  date.setUTCHours(
    Number(wallClock.slice(11, 13)),
    Number(wallClock.slice(14, 16)),
    Number(wallClock.slice(17, 19)),
  );
  const utc = new Date(date.getTime() - sign * (hours * 60 + minutes) * 60_000);
  const year = utc.getUTCFullYear();
  if (year < 0 || year > 9999) throw outOfRange('falls outside years 0000–9999 in UTC');
  return `${isoSeconds(utc)}${fractionPart}Z`;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

function isoSeconds(date: Date): string {
  return `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
}

/** A JS Date (milliseconds) as canonical instant text at `precision` digits. */
function instantText(date: Date, precision: number): string {
  if (Number.isNaN(date.getTime())) throw invalid('is an Invalid Date');
  const year = date.getUTCFullYear();
  if (year < 0 || year > 9999) throw outOfRange('falls outside years 0000–9999');
  return `${isoSeconds(date)}${fraction(pad(date.getUTCMilliseconds(), 3), precision)}Z`;
}

function dateOfInstant(date: Date): string {
  const text = instantText(date, 3);
  if (!text.endsWith('T00:00:00.000Z'))
    throw outOfRange('is a Date with a time of day, which a date column drops');
  return text.slice(0, 10);
}

function jsonOf(value: Present): string {
  if (typeof value === 'string') {
    try {
      JSON.parse(value);
    } catch {
      throw invalid('is not JSON text');
    }
    return value;
  }
  if (value instanceof Uint8Array || typeof value === 'function' || typeof value === 'symbol') {
    throw invalid(`is a ${typeName(value)}, which JSON cannot hold`);
  }
  if (typeof value === 'number' && !Number.isFinite(value))
    throw invalid('is not a finite number, which JSON cannot hold');
  try {
    return stringifyWithBigints(value);
  } catch (error) {
    // JSON.stringify's TypeError: an object that contains itself.
    if (error instanceof TypeError) throw invalid('contains itself, which JSON cannot hold');
    throw error;
  }
}

/** JSON text in which bigints keep every digit: JSON numbers have no size limit, only JS's parser does. */
function stringifyWithBigints(value: Present): string {
  let marker: string | undefined;
  const text = JSON.stringify(value, (_key, item) => {
    if (typeof item !== 'bigint') return item;
    marker ??= `\u0000${Math.random().toString(36).slice(2)}:`;
    return `${marker}${item}`;
  });
  if (marker === undefined) return text;
  const escaped = JSON.stringify(marker)
    .slice(1, -1)
    .replace(/[\\^$.*+?()[\]{}|]/g, '\\$&');
  return text.replace(new RegExp(`"${escaped}(-?\\d+)"`, 'g'), '$1');
}

function setOf(members: readonly string[]): (value: Present) => string {
  const order = new Map(members.map((member, index) => [member, index]));
  return (value) => {
    const parts = Array.isArray(value)
      ? value
      : typeof value === 'string'
        ? value === ''
          ? []
          : value.split(',')
        : undefined;
    if (parts === undefined) throw invalid(`is a ${typeName(value)}, not a set of members`);
    const present = new Set<number>();
    for (const part of parts) {
      const index = typeof part === 'string' ? order.get(part) : undefined;
      if (index === undefined) throw outOfRange('holds a string that is not a member of the set');
      present.add(index);
    }
    return [...present]
      .sort((a, b) => a - b)
      .map((index) => members[index])
      .join(',');
  };
}
