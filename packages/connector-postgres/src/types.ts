/**
 * The one mapping table from PostgreSQL types to logical types (the README's "reading" table). A type is
 * known by its pg_type name, after a domain is resolved to its base type; the typmod carries its length,
 * precision and scale. Every type not listed reads as text (its output function's text form), which is exact.
 */
import type { LogicalType } from '@osiris/core';

/** A PostgreSQL column type as pg_catalog describes it. */
export interface NativeType {
  /** pg_type.typname of the (base) type: `int4`, `numeric`, `timestamptz`… */
  name: string;
  /** The typmod (`atttypmod`, or a field's `dataTypeModifier`); -1 when unconstrained. */
  typmod: number;
  /** pg_type.typtype: `b` base, `e` enum, `c` composite, `r` range… */
  kind: string;
  /** The labels of an enum type, in declaration order. */
  members?: readonly string[];
}

/** varlena header size the typmods of text and numeric types count in. */
const VARHDRSZ = 4;

/** Fraction digits of time and timestamp types without an explicit precision (microseconds). */
const DEFAULT_SECOND_DIGITS = 6;

const precisionOf = (typmod: number) => (typmod < 0 ? DEFAULT_SECOND_DIGITS : typmod);
const lengthOf = (typmod: number) => (typmod < VARHDRSZ ? undefined : typmod - VARHDRSZ);

/** numeric(p,s): PostgreSQL 15 allows a negative scale (rounding to tens) and a scale above the precision. */
function decimalOf(typmod: number): LogicalType {
  if (typmod < VARHDRSZ) return { kind: 'decimal' };
  const precision = ((typmod - VARHDRSZ) >> 16) & 0xffff;
  const scale = ((((typmod - VARHDRSZ) & 0x7ff) ^ 1024) - 1024) as number;
  // numeric(2,-3) holds up to 99000: five whole digits, none after the point.
  if (scale < 0) return { kind: 'decimal', precision: precision - scale, scale: 0 };
  return { kind: 'decimal', precision: Math.max(precision, scale), scale };
}

/** Base types by pg_type name. */
const BY_NAME: Record<string, (typmod: number) => LogicalType> = {
  int2: () => ({ kind: 'integer', bits: 16, unsigned: false }),
  int4: () => ({ kind: 'integer', bits: 32, unsigned: false }),
  int8: () => ({ kind: 'integer', bits: 64, unsigned: false }),
  oid: () => ({ kind: 'integer', bits: 32, unsigned: true }),
  numeric: decimalOf,
  float4: () => ({ kind: 'float', bits: 32 }),
  float8: () => ({ kind: 'float', bits: 64 }),
  bool: () => ({ kind: 'boolean' }),
  text: () => ({ kind: 'string' }),
  varchar: (typmod) => ({ kind: 'string', maxLength: lengthOf(typmod) }),
  bpchar: (typmod) => ({ kind: 'string', maxLength: lengthOf(typmod) }),
  name: () => ({ kind: 'string', maxLength: 63 }),
  date: () => ({ kind: 'date' }),
  time: (typmod) => ({ kind: 'time', precision: precisionOf(typmod) }),
  timestamp: (typmod) => ({ kind: 'datetime', precision: precisionOf(typmod) }),
  timestamptz: (typmod) => ({ kind: 'timestamp', precision: precisionOf(typmod) }),
  bytea: () => ({ kind: 'bytes' }),
  json: () => ({ kind: 'json' }),
  jsonb: () => ({ kind: 'json' }),
};

/** The logical type of a column of this native type. */
export function logicalType(native: NativeType): LogicalType {
  if (native.kind === 'e' && native.members !== undefined) return { kind: 'enum', members: native.members };
  const mapped = BY_NAME[native.name]?.(native.typmod) ?? { kind: 'string' };
  // A bpchar/varchar without a length has no bound; drop the undefined key so types compare equal.
  if (mapped.kind === 'string' && mapped.maxLength === undefined) return { kind: 'string' };
  return mapped;
}
