/**
 * How values come off the wire: the session zone, mysql2's type casters for `typed` and `text` reads, and the
 * column metadata of a result set.
 */
import { type ColumnInfo, canonicalizer } from '@osiris/core';
import type { FieldPacket, TypeCast } from 'mysql2';
import { logicalTypeOf } from './types.js';

/**
 * How values come out of a read (see README, "Type mapping"):
 * - `typed` (default): the canonical value of each column's logical type (@osiris/core's data contract) —
 *   BIGINT as bigint, DECIMAL as text at its scale, DATETIME as wall-clock text, TIMESTAMP as a UTC instant,
 *   BIT as an integer, binary and GEOMETRY as Buffer, JSON as its text.
 * - `text`: every non-null value exactly as the server spells it (string), binary as Buffer — the fast path for
 *   exports where the values go straight back out as text. Not canonical: columns() then gives no logical type.
 */
export type ValueMode = 'typed' | 'text';

type Field = Parameters<Extract<TypeCast, (...args: never[]) => unknown>>[0];

/** The session `time_zone` value for a configured zone (`local` pins the process's current offset). */
export function sessionTimeZone(timezone: string): string {
  if (timezone === 'Z') return UTC;
  if (timezone !== 'local') return timezone;
  const minutes = -new Date().getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** The session zone of UTC. */
export const UTC = '+00:00';

/** `YYYY-MM-DD HH:MM:SS[.f]` → `YYYY-MM-DDTHH:MM:SS[.f]`: DATETIME is a wall clock, its text is exact. */
function wallClock(text: string): string {
  return `${text.slice(0, 10)}T${text.slice(11)}`;
}

/**
 * TIMESTAMP text, which the server spells in the session's zone (a fixed offset), → the UTC instant
 * `…Z`. Zero dates (`0000-00-00 00:00:00`) name no instant: they keep their digits.
 */
function instantReader(sessionZone: string): (text: string) => string {
  if (sessionZone === UTC) return (text) => `${wallClock(text)}Z`;
  const byPrecision = new Map<number, (value: unknown) => unknown>();
  return (text) => {
    if (text.startsWith('0000') || text.slice(5, 7) === '00' || text.slice(8, 10) === '00') {
      return `${wallClock(text)}Z`;
    }
    const precision = text.length > 19 ? text.length - 20 : 0;
    let convert = byPrecision.get(precision);
    if (convert === undefined) {
      convert = canonicalizer({ kind: 'timestamp', precision });
      byPrecision.set(precision, convert);
    }
    return convert(`${wallClock(text)}${sessionZone}`) as string;
  };
}

/** A BIT(n) value (big-endian bytes) as its unsigned integer: a number up to 32 bits, a bigint above. */
function bitValue(bytes: Buffer, bits: number): number | bigint {
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return bits <= 32 ? Number(value) : value;
}

/** The mysql2 `typeCast` for a value mode, for a session whose `time_zone` is `sessionZone`. */
export function valueCaster(mode: ValueMode, sessionZone: string): TypeCast {
  return mode === 'text' ? castText : typedCaster(sessionZone);
}

function typedCaster(sessionZone: string): TypeCast {
  const readInstant = instantReader(sessionZone);
  return (field: Field, next) => {
    switch (field.type) {
      case 'LONGLONG': {
        const text = field.string();
        return text === null ? null : BigInt(text);
      }
      case 'DOUBLE': {
        // mysql2's own float parser is off in the last digit for some values; the server's text is exact.
        const text = field.string();
        return text === null ? null : Number(text);
      }
      case 'FLOAT': {
        // The text protocol rounds FLOAT to 6 digits: table reads select it as DOUBLE (exact); here, in a
        // raw query, the nearest single-precision number to that text is the best there is (README).
        const text = field.string();
        return text === null ? null : Math.fround(Number(text));
      }
      case 'DATETIME': {
        const text = field.string();
        return text === null ? null : wallClock(text);
      }
      case 'TIMESTAMP': {
        const text = field.string();
        return text === null ? null : readInstant(text);
      }
      case 'DATE':
      case 'NEWDATE':
      case 'TIME':
        return field.string();
      case 'BIT': {
        const bytes = field.buffer();
        return bytes === null ? null : bitValue(bytes, field.length);
      }
      case 'GEOMETRY':
        // The server's own format: a 4-byte little-endian SRID, then the WKB.
        return field.buffer();
      default:
        // Integers up to INT and YEAR as numbers, DECIMAL as text, text as string, binary as Buffer, JSON as text.
        return next();
    }
  };
}

const castText: TypeCast = (field: Field, next) => {
  switch (field.type) {
    case 'BIT':
    case 'GEOMETRY':
      return field.buffer();
    case 'VAR_STRING':
    case 'STRING':
    case 'VARCHAR':
    case 'TINY_BLOB':
    case 'MEDIUM_BLOB':
    case 'LONG_BLOB':
    case 'BLOB':
    case 'ENUM':
    case 'SET':
    case 'JSON':
      // A string, or a Buffer when the column's character set is binary.
      return next();
    default:
      return field.string();
  }
};

const NOT_NULL = 1;
const PRI_KEY = 2;
const UNSIGNED = 32;
const ENUM_FLAG = 256;
const SET_FLAG = 2048;
const BINARY_CHARSET = 63;

/**
 * Column metadata of a result set, with MySQL type names (`DECIMAL(12,2)`, `VARCHAR(64)`…) and, for `typed`
 * values, their logical types. Result-set metadata lacks ENUM/SET members and (on MariaDB) the JSON mark:
 * those columns are strings here; a table read takes its columns from information_schema instead.
 */
export function describeFields(
  fields: readonly FieldPacket[],
  bytesPerChar: number,
  values: ValueMode = 'typed',
): ColumnInfo[] {
  return fields.map((field) => {
    const nativeType = sqlTypeOf(field, bytesPerChar);
    return {
      name: field.name,
      ...(values === 'typed' && { type: logicalTypeOf(nativeType) }),
      nativeType,
      nullable: ((field.flags as number) & NOT_NULL) === 0,
      primaryKey: ((field.flags as number) & PRI_KEY) !== 0,
    };
  });
}

const BLOB_SIZES: ReadonlyArray<[number, string]> = [
  [255, 'TINY'],
  [65_535, ''],
  [16_777_215, 'MEDIUM'],
];

function sqlTypeOf(field: FieldPacket, bytesPerChar: number): string {
  const flags = field.flags as number;
  const length = field.columnLength ?? 0;
  const decimals = field.decimals ?? 0;
  const binary = field.characterSet === BINARY_CHARSET;
  const unsigned = (flags & UNSIGNED) !== 0 ? ' UNSIGNED' : '';
  const fsp = decimals > 0 && decimals <= 6 ? `(${decimals})` : '';
  const chars = binary ? length : Math.floor(length / bytesPerChar);
  if ((field as { extendedFormat?: string }).extendedFormat === 'json') return 'JSON';
  switch (field.type) {
    case 0x00:
    case 0xf6:
      return `DECIMAL(${length - (decimals > 0 ? 1 : 0) - (unsigned ? 0 : 1)},${decimals})${unsigned}`;
    case 0x01:
      return length === 1 ? `TINYINT(1)${unsigned}` : `TINYINT${unsigned}`;
    case 0x02:
      return `SMALLINT${unsigned}`;
    case 0x09:
      return `MEDIUMINT${unsigned}`;
    case 0x03:
      return `INT${unsigned}`;
    case 0x08:
      return `BIGINT${unsigned}`;
    case 0x04:
      return 'FLOAT';
    case 0x05:
      return 'DOUBLE';
    case 0x07:
      return `TIMESTAMP${fsp}`;
    case 0x0c:
      return `DATETIME${fsp}`;
    case 0x0b:
      return `TIME${fsp}`;
    case 0x0a:
    case 0x0e:
      return 'DATE';
    case 0x0d:
      return 'YEAR';
    case 0x10:
      return `BIT(${length})`;
    case 0xf5:
      return 'JSON';
    case 0xff:
      return 'GEOMETRY';
    case 0xf9:
    case 0xfa:
    case 0xfb:
    case 0xfc: {
      const size = BLOB_SIZES.find(([max]) => chars <= max)?.[1] ?? 'LONG';
      return `${size}${binary ? 'BLOB' : 'TEXT'}`;
    }
    case 0xfe:
      if (flags & ENUM_FLAG) return 'ENUM';
      if (flags & SET_FLAG) return 'SET';
      return binary ? `BINARY(${chars})` : `CHAR(${chars})`;
    default:
      if (flags & ENUM_FLAG) return 'ENUM';
      if (flags & SET_FLAG) return 'SET';
      return binary ? `VARBINARY(${chars})` : `VARCHAR(${chars})`;
  }
}
