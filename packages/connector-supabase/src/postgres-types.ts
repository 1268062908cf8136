/**
 * The one mapping table Postgres type → logical type (README: "Type mapping, Postgres → logical"), for the
 * type names the catalog (`format_type`, typmods included) and PostgREST's OpenAPI document (no typmods) spell.
 */
import type { LogicalType } from '@osiris/core';

/** What introspection knows about a column's type besides its name. */
export interface NativeTypeHints {
  /** Length limit the OpenAPI document gives for `character varying` / `character` (the catalog puts it in the name). */
  maxLength?: number;
  /** Labels of an enum type, in declaration order. */
  members?: readonly string[];
  /** True for array types. */
  array?: boolean;
}

/** Postgres stores fractions of a second to 6 digits: the precision of a time type without typmod. */
const MICROSECONDS = 6;

type Mapper = (args: readonly number[], hints: NativeTypeHints) => LogicalType;

const integer =
  (bits: number): Mapper =>
  () => ({ kind: 'integer', bits, unsigned: false });
const withPrecision =
  (kind: 'time' | 'datetime' | 'timestamp'): Mapper =>
  ([precision]) => ({ kind, precision: precision ?? MICROSECONDS });
const text: Mapper = ([length], hints) => {
  const maxLength = length ?? hints.maxLength;
  return maxLength === undefined ? { kind: 'string' } : { kind: 'string', maxLength };
};

/** Base type name (typmod removed) → logical type. Every other type is read and written as its Postgres text. */
const POSTGRES_TYPES = new Map<string, Mapper>([
  ['smallint', integer(16)],
  ['integer', integer(32)],
  ['bigint', integer(64)],
  [
    'numeric',
    ([precision, scale]) =>
      precision === undefined ? { kind: 'decimal' } : { kind: 'decimal', precision, scale: scale ?? 0 },
  ],
  ['real', () => ({ kind: 'float', bits: 32 })],
  ['double precision', () => ({ kind: 'float', bits: 64 })],
  ['boolean', () => ({ kind: 'boolean' })],
  ['date', () => ({ kind: 'date' })],
  ['time without time zone', withPrecision('time')],
  ['timestamp without time zone', withPrecision('datetime')],
  ['timestamp with time zone', withPrecision('timestamp')],
  ['bytea', () => ({ kind: 'bytes' })],
  ['json', () => ({ kind: 'json' })],
  ['jsonb', () => ({ kind: 'json' })],
  ['text', text],
  ['character varying', text],
  ['character', text],
]);

/** Short spellings some servers put in OpenAPI formats. */
const ALIASES: Record<string, string> = {
  int2: 'smallint',
  int4: 'integer',
  int8: 'bigint',
  decimal: 'numeric',
  float4: 'real',
  float8: 'double precision',
  bool: 'boolean',
  time: 'time without time zone',
  timestamp: 'timestamp without time zone',
  timestamptz: 'timestamp with time zone',
  varchar: 'character varying',
  bpchar: 'character',
};

/** `numeric(10,2)` → `numeric` and [10, 2]; `timestamp(3) with time zone` → `timestamp with time zone` and [3]. */
function splitTypmod(nativeType: string): { base: string; args: number[] } {
  const match = /\(([\d,\s]+)\)/.exec(nativeType);
  const base = nativeType
    .replace(/\([\d,\s]+\)/, '')
    .replace(/\s+/g, ' ')
    .trim()
    .toLowerCase();
  return { base: ALIASES[base] ?? base, args: match === null ? [] : match[1]!.split(',').map(Number) };
}

/** The logical type of a Postgres column, from its type name (with typmods when the catalog gave them). */
export function logicalTypeOf(nativeType: string, hints: NativeTypeHints = {}): LogicalType {
  if (hints.array || nativeType.endsWith('[]')) return { kind: 'string' };
  if (hints.members !== undefined && hints.members.length > 0) {
    return { kind: 'enum', members: hints.members };
  }
  const { base, args } = splitTypmod(nativeType);
  return POSTGRES_TYPES.get(base)?.(args, hints) ?? { kind: 'string' };
}

/** Native types whose JSON form is their text already (every other string-typed column is read through `::text`). */
const PLAIN_TEXT = new Set(['text', 'character varying', 'character', 'uuid', 'citext', 'name']);

/**
 * Whether a column is asked for as `col::text`: JSON numbers lose digits past 2^53 (bigint, numeric), JSON
 * text of a json/jsonb value would need re-serialising (losing big numbers and the text), and arrays,
 * composites and ranges have a JSON form that is not their Postgres text.
 */
export function readsAsText(type: LogicalType, nativeType: string): boolean {
  switch (type.kind) {
    case 'integer':
      return type.bits > 32;
    case 'decimal':
    case 'json':
      return true;
    case 'string':
      return !PLAIN_TEXT.has(splitTypmod(nativeType).base);
    default:
      return false;
  }
}
