/**
 * Reading: the server's text form of a value (what COPY TO and a text-format result carry, in the session
 * settings every connection sets: DateStyle ISO, TimeZone UTC, bytea_output hex, extra_float_digits 1)
 * into the canonical value of its column's logical type. A value that has none (a BC date, `infinity`)
 * stops the read with an error naming the column and row, never arriving changed.
 */
import { type CanonicalValue, ConnectorError, describeType, type LogicalType } from '@osiris/core';

/** Turns one value's text into its canonical value; `null` text is SQL NULL. */
export type TextDecoder = (text: string) => CanonicalValue;

/** Thrown by a decoder for a value that has no canonical form; the reader adds column and row. */
export class NoCanonicalValue extends Error {}

/** `.ffffff` padded with zeros to exactly `precision` digits (the server drops trailing zeros). */
function fractionAt(text: string, dot: number, end: number, precision: number): string {
  if (precision === 0) return '';
  const digits = dot === -1 ? '' : text.slice(dot + 1, end);
  return `.${digits.padEnd(precision, '0')}`;
}

/** `YYYY-MM-DD HH:MM:SS[.f]` with a four-digit year (the server writes BC, infinity and 5-digit years otherwise). */
const WALL_CLOCK = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?/;

function dateTimeDecoder(precision: number, instant: boolean): TextDecoder {
  return (text) => {
    const match = WALL_CLOCK.exec(text);
    const end = match === null ? 0 : match[0].length;
    // TimeZone is UTC in every session, so an instant always ends in +00.
    if (match === null || text.length !== end + (instant ? 3 : 0) || (instant && !text.endsWith('+00'))) {
      throw new NoCanonicalValue(
        `${instant ? 'timestamptz' : 'timestamp'} outside years 0000-9999 (or infinity)`,
      );
    }
    const wallClock = `${text.slice(0, 10)}T${text.slice(11, 19)}${fractionAt(text, match[1] === undefined ? -1 : 19, end, precision)}`;
    return instant ? `${wallClock}Z` : wallClock;
  };
}

const DATE = /^\d{4}-\d\d-\d\d$/;

/** The decoder for a column of this logical type. */
export function textDecoder(type: LogicalType): TextDecoder {
  switch (type.kind) {
    case 'integer':
      return type.bits <= 32 ? Number : BigInt;
    case 'float':
      // Number() reads NaN, Infinity and -Infinity as the server spells them, and keeps -0. A real's shortest
      // text (extra_float_digits 1) names one float32, which fround recovers exactly.
      return type.bits === 32 ? (text) => Math.fround(Number(text)) : Number;
    case 'boolean':
      return (text) => text === 't';
    case 'date':
      return (text) => {
        if (!DATE.test(text)) throw new NoCanonicalValue('date outside years 0000-9999 (or infinity)');
        return text;
      };
    case 'time': {
      const { precision } = type;
      return (text) => `${text.slice(0, 8)}${fractionAt(text, text.indexOf('.'), text.length, precision)}`;
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
      // string, json (the stored text), enum: as sent.
      return (text) => text;
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
