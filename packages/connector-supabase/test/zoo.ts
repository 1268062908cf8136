/**
 * The type zoo the Supabase tests write: the columns a MySQL source describes for its zoo, edge values of each,
 * and what the tables they land in look like to Postgres.
 */
import type { ColumnInfo, LogicalType, Row } from '@osiris/core';
import type { SupabaseTestService } from '@osiris/test-services';

/** An integer logical type. */
export const int = (bits: number, unsigned = false): LogicalType => ({ kind: 'integer', bits, unsigned });
/** Every byte 0–255 once. */
export const EVERY_BYTE = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
/** Ten code points: combining accent, emoji (two UTF-16 units), quotes, comma, CR LF, tab, backslash. */
export const AWKWARD = 'e\u0301😀"\',\r\n\t\\';
/** A JSON text only a json column keeps as it is (spacing, duplicate keys, a number past 2^64). */
export const JSON_TEXT = '{"b" : 1,  "a": 12345678901234567890123, "a": 2.50}';

/** The columns a MySQL source describes for its type zoo. */
export const ZOO: ColumnInfo[] = [
  { name: 'id', type: int(32), nullable: false, primaryKey: true },
  { name: 'i8', type: int(8) },
  { name: 'u8', type: int(8, true) },
  { name: 'u16', type: int(16, true) },
  { name: 'i32', type: int(32) },
  { name: 'u32', type: int(32, true) },
  { name: 'i64', type: int(64) },
  { name: 'u64', type: int(64, true) },
  { name: 'bit1', type: int(1, true) },
  { name: 'dec', type: { kind: 'decimal', precision: 38, scale: 10 } },
  { name: 'amount', type: { kind: 'decimal', precision: 12, scale: 2 }, nullable: false },
  { name: 'f32', type: { kind: 'float', bits: 32 } },
  { name: 'f64', type: { kind: 'float', bits: 64 } },
  { name: 'flag', type: { kind: 'boolean' } },
  { name: 'd', type: { kind: 'date' } },
  { name: 't', type: { kind: 'time', precision: 6 } },
  { name: 'dt', type: { kind: 'datetime', precision: 6 } },
  { name: 'dt0', type: { kind: 'datetime', precision: 0 } },
  { name: 'ts', type: { kind: 'timestamp', precision: 3 } },
  { name: 's', type: { kind: 'string', maxLength: 10 } },
  { name: 'txt', type: { kind: 'string' } },
  { name: 'bin', type: { kind: 'bytes' } },
  { name: 'doc', type: { kind: 'json' } },
  { name: 'e', type: { kind: 'enum', members: ['small', 'medium', 'large'] } },
  { name: 'st', type: { kind: 'set', members: ['a', 'b', 'c'] } },
];

/** Edge values of every zoo column; row 3 is null wherever it may be. */
export const ZOO_ROWS: Row[] = [
  {
    id: 1,
    i8: -128,
    u8: 255,
    u16: 65535,
    i32: -2147483648,
    u32: 4294967295,
    i64: -9223372036854775808n,
    u64: 18446744073709551615n,
    bit1: 1,
    dec: '-9999999999999999999999999999.9999999999',
    amount: '12.50',
    f32: Math.fround(3.4028234663852886e38),
    f64: 5e-324,
    flag: true,
    d: '0000-01-01',
    t: '24:00:00.000000',
    dt: '2006-02-15T05:03:42.250000',
    dt0: '1000-01-01T00:00:00',
    ts: '1970-01-01T00:00:01.000Z',
    s: AWKWARD,
    txt: 'NULL',
    bin: EVERY_BYTE,
    doc: JSON_TEXT,
    e: 'medium',
    st: 'a,c',
  },
  {
    id: 2,
    i8: 127,
    u8: 0,
    u16: 0,
    i32: 2147483647,
    u32: 0,
    i64: 9223372036854775807n,
    u64: 0n,
    bit1: 0,
    dec: '0.0000000001',
    amount: '-0.05',
    f32: Math.fround(1.1),
    f64: -0,
    flag: false,
    d: '9999-12-31',
    t: '23:59:59.999999',
    dt: '9999-12-31T23:59:59.999999',
    dt0: '2024-02-29T12:00:00',
    ts: '2038-01-19T03:14:07.999Z',
    s: '',
    txt: '\\N שלום',
    bin: Buffer.alloc(0),
    doc: '[]',
    e: 'large',
    st: '',
  },
  Object.fromEntries(ZOO.map((c) => [c.name, c.name === 'id' ? 3 : c.name === 'amount' ? '0.00' : null])),
];

/** A described source, as another connector's read would be. */
export function describedSource(columns: ColumnInfo[], batches: Row[][]) {
  return {
    columns: async () => columns,
    async *[Symbol.asyncIterator]() {
      yield* batches;
    },
  };
}

/** Each column's Postgres type, as `format_type` spells it. */
export const nativeTypes = async (service: SupabaseTestService, table: string) =>
  Object.fromEntries(
    (
      await service.sql<{ name: string; type: string }>(
        `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
          WHERE attrelid = '${table}'::regclass AND attnum > 0 ORDER BY attnum`,
      )
    ).rows.map((row) => [row.name, row.type]),
  );

/** A zoo row as read back from a table createIfMissing made: widened integers come back as the wider column's canonical value. */
export const widened = (row: Row): Row => ({
  ...row,
  u32: row.u32 === null ? null : BigInt(row.u32 as number),
  u64: row.u64 === null ? null : String(row.u64),
});
