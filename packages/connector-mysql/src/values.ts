import type { ColumnInfo } from '@osiris/core';
import type { FieldPacket, TypeCast } from 'mysql2';

/**
 * How values come out of a read (see README, "Value mapping"):
 * - `typed` (default): lossless JS values — BIGINT as bigint, DECIMAL as string, FLOAT/DOUBLE as the number
 *   the server's own text spells, DATETIME/TIMESTAMP as Date in the configured zone, binary as Buffer.
 * - `text`: every non-null value exactly as the server spells it (string), binary as Buffer — the fast path for
 *   exports where the values go straight back out as text.
 */
export type ValueMode = 'typed' | 'text';

type Field = Parameters<Extract<TypeCast, (...args: never[]) => unknown>>[0];

/** Milliseconds to subtract from a wall-clock reading in `timezone` to get UTC; undefined means the process zone. */
function offsetMs(timezone: string): number | undefined {
  if (timezone === 'local') return undefined;
  if (timezone === 'Z') return 0;
  const sign = timezone.startsWith('-') ? -1 : 1;
  const [hours, minutes] = timezone.slice(1).split(':').map(Number) as [number, number];
  return sign * (hours * 60 + minutes) * 60_000;
}

/** The session `time_zone` value for a configured zone (`local` pins the process's current offset). */
export function sessionTimeZone(timezone: string): string {
  if (timezone === 'Z') return '+00:00';
  if (timezone !== 'local') return timezone;
  const minutes = -new Date().getTimezoneOffset();
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
}

/** `YYYY-MM-DD HH:MM:SS[.fff]` → Date read in the zone; text it cannot represent (zero dates, µs) stays text. */
function dateReader(timezone: string): (text: string, columnLength: number) => Date | string {
  const offset = offsetMs(timezone);
  return (text, columnLength) => {
    // DATETIME(4..6) is 24..26 characters: a Date would drop the microseconds.
    if (columnLength > 23) return text;
    const year = Number(text.slice(0, 4));
    const month = Number(text.slice(5, 7));
    const day = Number(text.slice(8, 10));
    if (month === 0 || day === 0) return text;
    const hour = Number(text.slice(11, 13));
    const minute = Number(text.slice(14, 16));
    const second = Number(text.slice(17, 19));
    const millis = text.length > 20 ? Number(text.slice(20).padEnd(3, '0')) : 0;
    if (offset === undefined) return new Date(year, month - 1, day, hour, minute, second, millis);
    const date = new Date(Date.UTC(year, month - 1, day, hour, minute, second, millis) - offset);
    // Date.UTC maps years 0-99 to 1900-1999.
    if (year < 100) date.setUTCFullYear(date.getUTCFullYear() - 1900);
    return date;
  };
}

/** The mysql2 `typeCast` for a value mode. */
export function valueCaster(mode: ValueMode, timezone: string): TypeCast {
  return mode === 'text' ? castText : typedCaster(timezone);
}

function typedCaster(timezone: string): TypeCast {
  const readDate = dateReader(timezone);
  return (field: Field, next) => {
    switch (field.type) {
      case 'LONGLONG': {
        const text = field.string();
        return text === null ? null : BigInt(text);
      }
      case 'FLOAT':
      case 'DOUBLE': {
        // mysql2's own float parser is off in the last digit for some values; the server's text is exact.
        const text = field.string();
        return text === null ? null : Number(text);
      }
      case 'DATETIME':
      case 'TIMESTAMP': {
        const text = field.string();
        return text === null ? null : readDate(text, field.length);
      }
      case 'DATE':
      case 'NEWDATE':
      case 'TIME':
        return field.string();
      case 'BIT':
      case 'GEOMETRY':
        return field.buffer();
      default:
        // Integers up to INT, DECIMAL as string, text as string, binary as Buffer, JSON as text.
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

/** Column metadata of a result set, with MySQL type names (`DECIMAL(12,2)`, `VARCHAR(64)`…). */
export function describeFields(fields: readonly FieldPacket[], bytesPerChar: number): ColumnInfo[] {
  return fields.map((field) => ({
    name: field.name,
    nativeType: sqlTypeOf(field, bytesPerChar),
    nullable: ((field.flags as number) & NOT_NULL) === 0,
    primaryKey: ((field.flags as number) & PRI_KEY) !== 0,
  }));
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
