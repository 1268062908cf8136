import { ConnectorError } from '@osiris/core';
import mysql from 'mysql2';

/**
 * The value a row field is written as, shared by the INSERT and LOAD DATA paths: text, a Buffer, or null.
 * Booleans become 1/0, Dates the wall-clock time in the configured zone, objects and arrays JSON text.
 */
export function storedValue(value: unknown, timezone: string, column: string): string | Buffer | null {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      if (!Number.isFinite(value)) throw unstorable(column, String(value));
      return String(value);
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? '1' : '0';
    case 'undefined':
      return null;
    case 'object':
      if (value === null) return null;
      if (value instanceof Date) return formatDate(value, timezone, column);
      if (Buffer.isBuffer(value)) return value;
      if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength);
      return JSON.stringify(value, (_key, item) => (typeof item === 'bigint' ? item.toString() : item));
    default:
      throw unstorable(column, typeof value);
  }
}

/** A field as an SQL literal for a multi-row INSERT (numbers unquoted, text escaped, bytes as X'…'). */
export function sqlLiteral(value: unknown, timezone: string, column: string): string {
  if (typeof value === 'number' || typeof value === 'bigint')
    return storedValue(value, timezone, column) as string;
  const stored = storedValue(value, timezone, column);
  return stored === null ? 'NULL' : mysql.escape(stored);
}

const TSV_SPECIAL = /[\\\t\n\r\0]/;
const TSV_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\t': '\\t',
  '\n': '\\n',
  '\r': '\\r',
  '\0': '\\0',
};

/** A field as LOAD DATA text (tab-separated, backslash escapes, `\N` for NULL). */
export function tsvField(value: unknown, timezone: string, column: string): string | Buffer {
  const stored = storedValue(value, timezone, column);
  if (stored === null) return '\\N';
  if (typeof stored === 'string') {
    return TSV_SPECIAL.test(stored)
      ? stored.replace(/[\\\t\n\r\0]/g, (char) => TSV_ESCAPES[char] as string)
      : stored;
  }
  return escapeBytes(stored);
}

function escapeBytes(bytes: Buffer): Buffer {
  let extra = 0;
  for (const byte of bytes)
    if (byte === 0x5c || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0) extra++;
  if (extra === 0) return bytes;
  const out = Buffer.allocUnsafe(bytes.length + extra);
  let at = 0;
  for (const byte of bytes) {
    if (byte === 0x5c || byte === 0x09 || byte === 0x0a || byte === 0x0d || byte === 0) {
      out[at++] = 0x5c;
      out[at++] =
        byte === 0x09 ? 0x74 : byte === 0x0a ? 0x6e : byte === 0x0d ? 0x72 : byte === 0 ? 0x30 : 0x5c;
    } else {
      out[at++] = byte;
    }
  }
  return out;
}

const pad = (value: number, width = 2) => String(value).padStart(width, '0');

/** `YYYY-MM-DD HH:MM:SS.mmm` of a Date in the configured zone (`Z`, `local` or `±HH:MM`). */
export function formatDate(date: Date, timezone: string, column = 'value'): string {
  if (Number.isNaN(date.getTime())) throw unstorable(column, 'Invalid Date');
  let shifted = date;
  let utc = true;
  if (timezone === 'local') utc = false;
  else if (timezone !== 'Z') {
    const sign = timezone.startsWith('-') ? -1 : 1;
    const [hours, minutes] = timezone.slice(1).split(':').map(Number) as [number, number];
    shifted = new Date(date.getTime() + sign * (hours * 60 + minutes) * 60_000);
  }
  const parts = utc
    ? [
        shifted.getUTCFullYear(),
        shifted.getUTCMonth() + 1,
        shifted.getUTCDate(),
        shifted.getUTCHours(),
        shifted.getUTCMinutes(),
        shifted.getUTCSeconds(),
        shifted.getUTCMilliseconds(),
      ]
    : [
        shifted.getFullYear(),
        shifted.getMonth() + 1,
        shifted.getDate(),
        shifted.getHours(),
        shifted.getMinutes(),
        shifted.getSeconds(),
        shifted.getMilliseconds(),
      ];
  const [year, month, day, hour, minute, second, millis] = parts as number[] as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  return `${pad(year, 4)}-${pad(month)}-${pad(day)} ${pad(hour)}:${pad(minute)}:${pad(second)}.${pad(millis, 3)}`;
}

function unstorable(column: string, what: string): ConnectorError {
  return new ConnectorError(`Column ${column}: ${what} cannot be stored in MySQL`, {
    code: 'VALUE_INVALID',
    category: 'config',
    hint: 'Map NaN/Infinity, functions and symbols to null or a string before writing',
  });
}
