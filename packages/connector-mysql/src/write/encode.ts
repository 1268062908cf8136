/**
 * How canonical values are spelled for MySQL, shared by the INSERT and LOAD DATA paths: each column gets a
 * spelling for its MySQL type (DATETIME/TIMESTAMP without `T`/`Z`, YEAR with four digits, BIT as its bytes),
 * then every value becomes text, raw bytes or NULL.
 */
import { type CanonicalValue, type LogicalType, numberText } from '@osiris/core';
import mysql from 'mysql2';

/** A canonical value brought into the form the column's MySQL type reads exactly. */
export type Spelling = (value: CanonicalValue) => CanonicalValue;

/** The spelling a column of this logical type and MySQL type needs; undefined when the canonical value is it. */
export function spellingFor(target: LogicalType, nativeType: string): Spelling | undefined {
  const native = nativeType.toLowerCase();
  // BIT takes bytes: LOAD DATA's text '5' would be the byte 0x35 (a boolean is 1 or 0 here too).
  const bit = /^bit\((\d+)\)/.exec(native);
  if (bit !== null) {
    const bits = Number(bit[1]);
    return (value) =>
      value === null ? null : bitBytes(typeof value === 'boolean' ? Number(value) : value, bits);
  }
  switch (target.kind) {
    case 'datetime':
      return (value) => (typeof value === 'string' ? `${value.slice(0, 10)} ${value.slice(11)}` : value);
    case 'timestamp':
      // The session of a write is in UTC, so an instant is its UTC wall clock.
      return (value) =>
        typeof value === 'string' ? `${value.slice(0, 10)} ${value.slice(11).replace(/Z$/, '')}` : value;
    case 'integer':
      // The text '0' means 2000 to a YEAR (LOAD DATA sends text); '0000' is the year 0.
      if (native.startsWith('year'))
        return (value) => (value === null ? null : String(value).padStart(4, '0'));
      return undefined;
    default:
      return undefined;
  }
}

/** An unsigned integer as the big-endian bytes of a BIT(bits). */
function bitBytes(value: CanonicalValue, bits: number): Buffer {
  let rest = BigInt(value as number | bigint);
  const bytes = Buffer.alloc(Math.ceil(bits / 8));
  for (let index = bytes.length - 1; index >= 0; index--) {
    bytes[index] = Number(rest & 0xffn);
    rest >>= 8n;
  }
  return bytes;
}

/** The value a field is written as: text, a Buffer, or null (booleans 1/0, numbers with every digit). */
export function storedValue(value: CanonicalValue | undefined): string | Buffer | null {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return numberText(value);
    case 'bigint':
      return String(value);
    case 'boolean':
      return value ? '1' : '0';
    case 'undefined':
      return null;
    default:
      if (value === null) return null;
      return Buffer.isBuffer(value) ? value : Buffer.from(value.buffer, value.byteOffset, value.byteLength);
  }
}

/** A field as an SQL literal for a multi-row INSERT (numbers unquoted, text escaped, bytes as X'…'). */
export function sqlLiteral(value: CanonicalValue | undefined): string {
  if (typeof value === 'number' || typeof value === 'bigint') return storedValue(value) as string;
  const stored = storedValue(value);
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
export function tsvField(value: CanonicalValue | undefined): string | Buffer {
  const stored = storedValue(value);
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

/** Applies each column's spelling to positional rows, in place. */
export function spell(rows: CanonicalValue[][], spellings: ReadonlyArray<Spelling | undefined>): void {
  spellings.forEach((spelling, column) => {
    if (spelling === undefined) return;
    for (const row of rows) row[column] = spelling(row[column] ?? null);
  });
}
