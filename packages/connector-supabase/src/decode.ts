/**
 * Turns the values PostgREST sends (JSON, or the `::text` form postgres-types.ts asks for) into canonical
 * values of the columns' logical types, exactly: never through a JS Date or a float where the type is exact.
 */
import { type CanonicalValue, canonicalizer, type LogicalType, ValueProblem } from '@osiris/core';

/** Converts one JSON value of a column (never null) into its canonical value; throws a `ValueProblem`. */
export type Decoder = (value: unknown) => CanonicalValue;

const outOfRange = (reason: string) => new ValueProblem('VALUE_OUT_OF_RANGE', reason);

/** PostgREST sends the float specials as strings (JSON has no such numbers). */
const FLOAT_SPECIALS: Record<string, number> = {
  NaN: Number.NaN,
  Infinity: Number.POSITIVE_INFINITY,
  '-Infinity': Number.NEGATIVE_INFINITY,
};

/** Postgres's numeric text is plain notation at the column's scale already; only NaN and ±Infinity are not decimals. */
const PLAIN_DECIMAL = /^-?\d+(\.\d+)?$/;

/**
 * Postgres writes years before 1 AD as `0001 BC` (there is no year 0); the data contract counts years as
 * ISO 8601 does (0000 = 1 BC). Years past 9999 and `infinity` have no canonical spelling.
 */
export function fromPostgresYear(text: string): string {
  if (text.endsWith(' BC')) {
    if (!text.startsWith('0001-'))
      throw outOfRange('is before year 0000 (1 BC), which the data contract spells');
    return `0000${text.slice(4, -3)}`;
  }
  if (!/^\d{4}-/.test(text)) throw outOfRange('is not within years 0000–9999 (or is infinity)');
  return text;
}

/** The decoder for a column of `type`, or undefined when PostgREST's JSON value is the canonical value already. */
export function decoderFor(type: LogicalType): Decoder | undefined {
  switch (type.kind) {
    case 'integer':
      // Fetched as text when wider than 32 bits (postgres-types.ts), so no digit was lost on the way.
      return type.bits > 32 ? (value) => BigInt(value as string) : undefined;
    case 'decimal':
      return (value) => {
        if (PLAIN_DECIMAL.test(value as string)) return value as string;
        throw outOfRange('is NaN or infinite, which a decimal cannot hold');
      };
    case 'float': {
      const single = type.bits === 32;
      return (value) => {
        const number = typeof value === 'string' ? FLOAT_SPECIALS[value] : (value as number);
        if (number === undefined) throw new ValueProblem('VALUE_INVALID', 'is text that names no float');
        // Postgres prints the shortest text that identifies the 32-bit value: rounding it to 32 bits gives it back.
        return single ? Math.fround(number) : number;
      };
    }
    case 'date':
      return (value) => fromPostgresYear(value as string);
    case 'time':
      // Postgres trims trailing zeros of the fraction; the canonical form has exactly `precision` digits.
      return canonicalizer(type) as Decoder;
    case 'datetime':
    case 'timestamp': {
      const canonical = canonicalizer(type);
      return (value) => canonical(fromPostgresYear(value as string));
    }
    case 'bytes':
      return (value) => Buffer.from((value as string).slice(2), 'hex');
    default:
      return undefined;
  }
}
