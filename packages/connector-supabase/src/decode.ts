import { baseType, type ColumnMeta } from './table-info.js';

/**
 * JSON numbers lose digits past 2^53, so bigint and numeric columns are fetched as text
 * (`col::text`) and turned into numbers only when a double holds them exactly; otherwise a
 * bigint stays a `bigint` and a numeric a decimal string. bytea comes back as a `Buffer`.
 */
type Decoder =
  | { cast: string; decode: (value: unknown) => unknown }
  | { cast?: undefined; decode: (value: unknown) => unknown };

/** A double holds any decimal of up to 15 significant digits exactly (and a 15-character string has no more). */
const EXACT_DIGITS = 15;

const decodeInt8 = (value: unknown) => {
  if (typeof value !== 'string') return value;
  if (value.length <= EXACT_DIGITS) return Number(value);
  const big = BigInt(value);
  return big >= BigInt(Number.MIN_SAFE_INTEGER) && big <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(big) : big;
};

const decodeNumeric = (value: unknown) => {
  if (typeof value !== 'string' || !/^-?\d+(\.\d+)?$/.test(value)) return value;
  if (value.length <= EXACT_DIGITS) return Number(value);
  const digits = value.replace(/[-.]/g, '').replace(/^0+/, '').replace(/0+$/, '');
  return digits.length <= EXACT_DIGITS ? Number(value) : value;
};

const decodeBytea = (value: unknown) =>
  typeof value === 'string' && value.startsWith('\\x') ? Buffer.from(value.slice(2), 'hex') : value;

const DECODERS: Record<string, Decoder> = {
  bigint: { cast: 'text', decode: decodeInt8 },
  numeric: { cast: 'text', decode: decodeNumeric },
  bytea: { decode: decodeBytea },
};

/** The decoder for a column, when its values need one. */
export const decoderFor = (column: ColumnMeta | undefined): Decoder | undefined =>
  column === undefined ? undefined : DECODERS[baseType(column.type)];
