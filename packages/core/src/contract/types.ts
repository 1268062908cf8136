/**
 * The logical column types every connector maps its own types onto, and the one JS value each of them
 * takes in a row (its canonical value). A source describes its columns with them; a sink stores every
 * canonical value exactly or refuses before it writes. The table in core's README is the reference.
 */

/** Text. Canonical value: a `string`. */
export interface StringType {
  kind: 'string';
  /** Most characters (Unicode code points) a value may have, when the column is bounded. */
  maxLength?: number;
}

/** A whole number. Canonical value: a `number` when `bits` ≤ 32, a `bigint` above. */
export interface IntegerType {
  kind: 'integer';
  /** Width in bits, sign bit included (8, 16, 24, 32, 64; 1–64 for bit fields). */
  bits: number;
  /** True when the column holds no negative numbers (and so reaches `2^bits - 1`). */
  unsigned: boolean;
}

/**
 * An exact decimal number. Canonical value: a `string` in plain notation (`-12.50`, no exponent, no `+`),
 * with exactly `scale` digits after the point (none when `scale` is 0), or as the source spells it when unbounded.
 */
export interface DecimalType {
  kind: 'decimal';
  /** Total significant digits, when bounded. */
  precision?: number;
  /** Digits after the point, when bounded. */
  scale?: number;
}

/** A binary floating-point number. Canonical value: a `number` (NaN, ±Infinity and -0 included). */
export interface FloatType {
  kind: 'float';
  /** 32 for single precision (the number is one `Math.fround` leaves unchanged), 64 for double. */
  bits: 32 | 64;
}

/** True or false. Canonical value: a `boolean`. */
export interface BooleanType {
  kind: 'boolean';
}

/** A calendar date. Canonical value: a `string` `YYYY-MM-DD` (years 0000–9999 counted as ISO 8601 does, 0000 = 1 BC; a real day). */
export interface DateType {
  kind: 'date';
}

/**
 * A time of day or a duration (MySQL's TIME reaches ±838 hours). Canonical value: a `string`
 * `[-]HH:MM:SS[.fff…]`, at least two hour digits, exactly `precision` fraction digits.
 */
export interface TimeType {
  kind: 'time';
  /** Digits of fractional seconds, 0–9. */
  precision: number;
}

/**
 * A wall-clock date and time with no zone (MySQL DATETIME, PostgreSQL timestamp). Canonical value: a `string`
 * `YYYY-MM-DDTHH:MM:SS[.fff…]`, exactly `precision` fraction digits.
 */
export interface DateTimeType {
  kind: 'datetime';
  /** Digits of fractional seconds, 0–9. */
  precision: number;
}

/**
 * An instant (MySQL TIMESTAMP, PostgreSQL timestamptz). Canonical value: a `string`
 * `YYYY-MM-DDTHH:MM:SS[.fff…]Z` in UTC, exactly `precision` fraction digits.
 */
export interface TimestampType {
  kind: 'timestamp';
  /** Digits of fractional seconds, 0–9. */
  precision: number;
}

/** Raw bytes. Canonical value: a `Uint8Array` (Node's `Buffer` is one). */
export interface BytesType {
  kind: 'bytes';
  /** Most bytes a value may have, when the column is bounded. */
  maxLength?: number;
}

/** A JSON document. Canonical value: its JSON text, a `string` (exact: big numbers and key order survive). */
export interface JsonType {
  kind: 'json';
}

/** One of a fixed list of strings. Canonical value: the member, a `string`. */
export interface EnumType {
  kind: 'enum';
  /** The allowed values, in declaration order. */
  members: readonly string[];
}

/** Any subset of a fixed list of strings. Canonical value: the members present joined by `,` in declaration order (`''` for none). */
export interface SetType {
  kind: 'set';
  /** The allowed members, in declaration order; none contains a comma. */
  members: readonly string[];
}

/** The closed set of logical types. */
export type LogicalType =
  | StringType
  | IntegerType
  | DecimalType
  | FloatType
  | BooleanType
  | DateType
  | TimeType
  | DateTimeType
  | TimestampType
  | BytesType
  | JsonType
  | EnumType
  | SetType;

/** The `kind` of every logical type. */
export type LogicalKind = LogicalType['kind'];

/** Any canonical value, or null. `undefined` in a row means the same as null. */
export type CanonicalValue = string | number | bigint | boolean | Uint8Array | null;
