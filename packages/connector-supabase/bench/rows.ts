/**
 * The benchmarks' rows: 100,000 (ROWS=…) of 10 mixed columns, as row objects a user writes and as the
 * positional batches of canonical values a described source (another connector's read) offers.
 */
import { type CanonicalValue, type ColumnInfo, positionalStream } from '@osiris/core';

/** Rows per benchmark. */
export const ROWS = Number(process.env.ROWS ?? 100_000);

/** The table the rows go into: name, Postgres type, constraint. */
export const TABLE: readonly (readonly [string, string, string?])[] = [
  ['id', 'bigint', 'PRIMARY KEY'],
  ['name', 'text', 'NOT NULL'],
  ['email', 'text'],
  ['score', 'double precision'],
  ['qty', 'integer'],
  ['active', 'boolean'],
  ['created_at', 'timestamp with time zone'],
  ['amount', 'numeric(12,2)'],
  ['tags', 'jsonb'],
  ['note', 'text'],
];

/** The table's column definitions, for CREATE TABLE. */
export const COLUMNS = TABLE.map(([name, type, constraint]) => [name, type, constraint ?? ''].join(' ')).join(
  ', ',
);

/** Row `i` (0-based) as a user writes it (a Date's ISO text, a number for the decimal, an object for jsonb). */
export const userRow = (i: number) => ({
  id: i + 1,
  name: `customer ${i + 1}`,
  email: `c${i + 1}@example.com`,
  score: (i % 1000) / 7,
  qty: i % 97,
  active: i % 3 !== 0,
  created_at: new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString(),
  amount: ((i * 37) % 100_000) / 100,
  tags: { tier: i % 5, labels: ['a', 'b'] },
  note: i % 10 === 0 ? null : 'lorem ipsum dolor sit amet',
});

/** The rows as a user writes them. */
export const rows = Array.from({ length: ROWS }, (_, i) => userRow(i));
/** The source as a pipeline hands it over: batches of 1,000. */
export const source = Array.from({ length: Math.ceil(ROWS / 1000) }, (_, i) =>
  rows.slice(i * 1000, (i + 1) * 1000),
);

/** The same rows as a described source holds them (as a read of this table would): each column's logical type, values canonical. */
export const DESCRIBED: ColumnInfo[] = [
  { name: 'id', type: { kind: 'integer', bits: 64, unsigned: false }, nullable: false },
  { name: 'name', type: { kind: 'string' }, nullable: false },
  { name: 'email', type: { kind: 'string' } },
  { name: 'score', type: { kind: 'float', bits: 64 } },
  { name: 'qty', type: { kind: 'integer', bits: 32, unsigned: false } },
  { name: 'active', type: { kind: 'boolean' } },
  { name: 'created_at', type: { kind: 'timestamp', precision: 6 } },
  { name: 'amount', type: { kind: 'decimal', precision: 12, scale: 2 } },
  { name: 'tags', type: { kind: 'json' } },
  { name: 'note', type: { kind: 'string' } },
];
/** The five `tags` documents, as JSON text. */
const TAGS = Array.from({ length: 5 }, (_, tier) => JSON.stringify({ tier, labels: ['a', 'b'] }));

/** Row `i` as its canonical values in the order of DESCRIBED (built directly: a source's cost stays small). */
export const canonicalAt = (i: number): CanonicalValue[] => [
  BigInt(i + 1),
  `customer ${i + 1}`,
  `c${i + 1}@example.com`,
  (i % 1000) / 7,
  i % 97,
  i % 3 !== 0,
  new Date(Date.UTC(2024, 0, 1) + i * 60_000).toISOString().replace('Z', '000Z'),
  (((i * 37) % 100_000) / 100).toFixed(2),
  TAGS[i % 5]!,
  i % 10 === 0 ? null : 'lorem ipsum dolor sit amet',
];
const canonicalRows = rows.map((_, i) => canonicalAt(i));
/** A fresh fast-lane source of the rows in batches of 1,000 (a stream is read once; sinks may convert in place). */
export const laneSource = () =>
  positionalStream(
    async () => DESCRIBED,
    async function* () {
      for (let i = 0; i < ROWS; i += 1000)
        yield canonicalRows.slice(i, i + 1000).map((values) => [...values]);
    },
  );
