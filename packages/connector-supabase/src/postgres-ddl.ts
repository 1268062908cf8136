/**
 * The one mapping table logical type → Postgres column type for `createIfMissing` (README: "Type mapping,
 * logical → Postgres"): a column that holds every canonical value of the type exactly, plus the CHECK that
 * keeps what Postgres has no type for (unsigned ranges, enum and set members).
 */
import type { LogicalType } from '@osiris/core';
import pg from 'pg';

/** A column's type in DDL and the constraints that go with it. */
export interface ColumnDdl {
  /** The Postgres type, e.g. `numeric(20,0)`. */
  type: string;
  /** A CHECK condition on the column, when the type alone would take values the source's type cannot have. */
  check?: string;
}

/** Postgres keeps at most 6 digits of fractional seconds; values with more non-zero digits are refused per value. */
const MAX_PRECISION = 6;

const literal = (text: string) => pg.escapeLiteral(text);
const members = (list: readonly string[]) => list.map(literal).join(', ');

/** The smallest Postgres integer type holding every value of `integer(bits, unsigned)`. */
function integerType(bits: number, unsigned: boolean): string {
  // An unsigned column needs one bit more than a signed type of its width gives.
  const needed = unsigned ? bits + 1 : bits;
  if (needed <= 16) return 'smallint';
  if (needed <= 32) return 'integer';
  if (needed <= 64) return 'bigint';
  return `numeric(${Math.ceil(bits * Math.log10(2))},0)`;
}

/** The DDL of a column of logical type `type`, named `column` (for its CHECKs). */
export function columnDdl(column: string, type: LogicalType): ColumnDdl {
  const name = pg.escapeIdentifier(column);
  switch (type.kind) {
    case 'string':
      // varchar(n) counts characters (code points), as the logical maxLength does.
      return { type: type.maxLength === undefined ? 'text' : `varchar(${type.maxLength})` };
    case 'integer': {
      const pgType = integerType(type.bits, type.unsigned);
      if (!type.unsigned) return { type: pgType };
      const max = (1n << BigInt(type.bits)) - 1n;
      return { type: pgType, check: `${name} BETWEEN 0 AND ${max}` };
    }
    case 'decimal':
      return {
        type: type.precision === undefined ? 'numeric' : `numeric(${type.precision},${type.scale ?? 0})`,
      };
    case 'float':
      return { type: type.bits === 32 ? 'real' : 'double precision' };
    case 'boolean':
      return { type: 'boolean' };
    case 'date':
      return { type: 'date' };
    case 'time':
      // Values outside 00:00:00–24:00:00 (MySQL durations) are refused per value before the batch is sent.
      return { type: `time(${Math.min(type.precision, MAX_PRECISION)})` };
    case 'datetime':
      return { type: `timestamp(${Math.min(type.precision, MAX_PRECISION)})` };
    case 'timestamp':
      return { type: `timestamptz(${Math.min(type.precision, MAX_PRECISION)})` };
    case 'bytes':
      return { type: 'bytea' };
    case 'json':
      // json keeps the text exactly; jsonb would reorder keys, drop duplicates and respace it.
      return { type: 'json' };
    case 'enum':
      return { type: 'text', check: `${name} IN (${members(type.members)})` };
    case 'set':
      return {
        type: 'text',
        check: `${name} = '' OR string_to_array(${name}, ',') <@ ARRAY[${members(type.members)}]::text[]`,
      };
  }
}
