/**
 * Reading: the server's text form of a value (what COPY TO and a text-format result carry, in the session
 * settings every connection sets: DateStyle ISO, TimeZone UTC, bytea_output hex, extra_float_digits 1)
 * into the canonical value of its column's logical type. A value that has none (a date before 1 BC,
 * `infinity`) stops the read with an error naming the column and row, never arriving changed.
 */
import { type CanonicalValue, ConnectorError, describeType, type LogicalType } from '@osiris/core';

/** Turns one value's text into its canonical value; `null` text is SQL NULL. */
export type TextDecoder = (text: string) => CanonicalValue;

/** Thrown by a decoder for a value that has no canonical form; the reader adds column and row. */
export class NoCanonicalValue extends Error {}

const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;
const DASH = 0x2d;
const COLON = 0x3a;
const SPACE = 0x20;
const DOT = 0x2e;
const PLUS = 0x2b;

/** Whether `text[from, to)` holds only ASCII digits. */
function digits(text: string, from: number, to: number): boolean {
  for (let at = from; at < to; at++) {
    const code = text.charCodeAt(at);
    if (code < DIGIT_0 || code > DIGIT_9) return false;
  }
  return true;
}

/** `YYYY-MM-DD` at the start of `text`, with a four-digit year (BC dates, 5-digit years and infinity are not). */
function isDate(text: string): boolean {
  return (
    text.charCodeAt(4) === DASH &&
    text.charCodeAt(7) === DASH &&
    digits(text, 0, 4) &&
    digits(text, 5, 7) &&
    digits(text, 8, 10)
  );
}

/**
 * The server has no year 0: it spells ISO 8601's year 0000 (the contract's) as `0001-… BC`. Any earlier year
 * keeps its ` BC` and so fails the format checks that follow: it has no canonical spelling.
 */
const isoYear = (text: string): string =>
  text.endsWith(' BC') && text.startsWith('0001-') ? `0000${text.slice(4, -3)}` : text;

/** `HH:MM:SS` at `at`. */
function isClock(text: string, at: number): boolean {
  return (
    text.charCodeAt(at + 2) === COLON &&
    text.charCodeAt(at + 5) === COLON &&
    digits(text, at, at + 2) &&
    digits(text, at + 3, at + 5) &&
    digits(text, at + 6, at + 8)
  );
}

/**
 * What follows the seconds so that exactly `precision` fraction digits are shown, for each count of digits
 * the server wrote (it drops trailing zeros, and the dot with them): `[".000", "00", "0", ""]` for 3.
 */
function fractionPads(precision: number): string[] {
  if (precision === 0) return [''];
  return Array.from({ length: precision + 1 }, (_, written) =>
    written === 0 ? `.${'0'.repeat(precision)}` : '0'.repeat(precision - written),
  );
}

/** The time of day at `[at, end)` (`HH:MM:SS[.f]`) with `precision` fraction digits, or undefined when it is not one. */
function clockAt(text: string, at: number, end: number, pads: readonly string[]): string | undefined {
  if (!isClock(text, at)) return undefined;
  const written = end - at - 8 === 0 ? 0 : end - at - 9;
  if (written !== 0 && (text.charCodeAt(at + 8) !== DOT || !digits(text, at + 9, end))) return undefined;
  const pad = pads[written];
  return pad === undefined ? undefined : text.slice(at, end) + pad;
}

function dateTimeDecoder(precision: number, instant: boolean): TextDecoder {
  const pads = fractionPads(precision);
  // TimeZone is UTC in every session, so an instant always ends in +00 (before isoYear took " BC" off).
  const zone = instant ? 3 : 0;
  return (server) => {
    const text = isoYear(server);
    const end = text.length - zone;
    const clock =
      text.charCodeAt(10) === SPACE && isDate(text) && (!instant || isUtcSuffix(text, end))
        ? clockAt(text, 11, end, pads)
        : undefined;
    if (clock === undefined) {
      throw new NoCanonicalValue(
        `${instant ? 'timestamptz' : 'timestamp'} outside years 0000-9999 (or infinity)`,
      );
    }
    return instant ? `${text.slice(0, 10)}T${clock}Z` : `${text.slice(0, 10)}T${clock}`;
  };
}

const isUtcSuffix = (text: string, end: number) =>
  text.charCodeAt(end) === PLUS &&
  text.charCodeAt(end + 1) === DIGIT_0 &&
  text.charCodeAt(end + 2) === DIGIT_0;

/** int8 text: through a double when it has at most 15 digits (exact there, and twice as fast as BigInt(text)). */
const int64 = (text: string): bigint => (text.length < 16 ? BigInt(Number(text)) : BigInt(text));

/** The decoder of string, json (the stored text) and enum columns: the text as sent. */
export const asSent: TextDecoder = (text) => text;

/** The decoder for a column of this logical type. */
export function textDecoder(type: LogicalType): TextDecoder {
  switch (type.kind) {
    case 'integer':
      return type.bits <= 32 ? Number : int64;
    case 'float':
      // Number() reads NaN, Infinity and -Infinity as the server spells them, and keeps -0. A real's shortest
      // text (extra_float_digits 1) names one float32, which fround recovers exactly.
      return type.bits === 32 ? (text) => Math.fround(Number(text)) : Number;
    case 'boolean':
      return (text) => text === 't';
    case 'date':
      return (server) => {
        const text = isoYear(server);
        if (text.length !== 10 || !isDate(text))
          throw new NoCanonicalValue('date outside years 0000-9999 (or infinity)');
        return text;
      };
    case 'time': {
      const pads = fractionPads(type.precision);
      return (text) => {
        const clock = clockAt(text, 0, text.length, pads);
        if (clock === undefined)
          throw new NoCanonicalValue('time of day with more fraction digits than its type');
        return clock;
      };
    }
    case 'datetime':
      return dateTimeDecoder(type.precision, false);
    case 'timestamp':
      return dateTimeDecoder(type.precision, true);
    case 'decimal':
      return (text) => {
        // numeric also holds NaN (and, unbounded, ±Infinity), which decimal text cannot spell.
        if (text === 'NaN' || text.endsWith('Infinity')) throw new NoCanonicalValue(`numeric ${text}`);
        return text;
      };
    case 'bytes':
      // bytea_output hex: \x followed by two hex digits per byte.
      return (text) => Buffer.from(text.slice(2), 'hex');
    default:
      return asSent;
  }
}

/** The error for a value without a canonical form, naming where it sat (never the value). */
export function noCanonicalValue(
  problem: NoCanonicalValue,
  column: { name: string; type: LogicalType; nativeType?: string },
  row: number,
  source: string,
): ConnectorError {
  return new ConnectorError(
    `${source}: row ${row}, column ${JSON.stringify(column.name)}: a ${problem.message} has no ${describeType(column.type)} value`,
    {
      code: 'VALUE_OUT_OF_RANGE',
      category: 'config',
      hint: `Read it as text in a query (${JSON.stringify(column.name)}::text), or filter such rows out`,
      details: { column: column.name, row, type: describeType(column.type), nativeType: column.nativeType },
    },
  );
}
