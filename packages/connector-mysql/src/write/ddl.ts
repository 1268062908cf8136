import type { ColumnInfo, Row } from '@osiris/core';
import { quoteIdentifier } from '../sql.js';

/** MySQL type spellings taken as they are from column metadata (anything else is mapped or inferred). */
const MYSQL_TYPE = new RegExp(
  [
    '(TINYINT|SMALLINT|MEDIUMINT|INT|INTEGER|BIGINT)(\\(\\d{1,3}\\))?( UNSIGNED)?',
    '(DECIMAL|NUMERIC)\\(\\d{1,2}(,\\d{1,2})?\\)( UNSIGNED)?',
    '(FLOAT|DOUBLE)( UNSIGNED)?',
    'DATE|YEAR',
    '(DATETIME|TIMESTAMP|TIME)(\\([0-6]\\))?',
    '(CHAR|VARCHAR|BINARY|VARBINARY)\\(\\d{1,5}\\)',
    '(TINY|MEDIUM|LONG)?(TEXT|BLOB)',
    'JSON|GEOMETRY',
    'BIT\\(\\d{1,2}\\)',
  ]
    .map((alternative) => `(${alternative})`)
    .join('|')
    .replace(/^/, '^(')
    .concat(')$'),
  'i',
);

/** Portable type names (the testkit's, PostgreSQL's, JSON schema's) and their MySQL column type. */
const GENERIC_TYPES: Record<string, string> = {
  string: 'LONGTEXT',
  text: 'LONGTEXT',
  varchar: 'LONGTEXT',
  'character varying': 'LONGTEXT',
  uuid: 'CHAR(36)',
  integer: 'BIGINT',
  int: 'BIGINT',
  int2: 'SMALLINT',
  smallint: 'SMALLINT',
  int4: 'INT',
  int8: 'BIGINT',
  bigint: 'BIGINT',
  number: 'DOUBLE',
  double: 'DOUBLE',
  float: 'DOUBLE',
  float4: 'FLOAT',
  float8: 'DOUBLE',
  real: 'FLOAT',
  'double precision': 'DOUBLE',
  numeric: 'DECIMAL(65,30)',
  decimal: 'DECIMAL(65,30)',
  boolean: 'TINYINT(1)',
  bool: 'TINYINT(1)',
  date: 'DATE',
  datetime: 'DATETIME(3)',
  timestamp: 'DATETIME(3)',
  timestamptz: 'DATETIME(3)',
  'timestamp with time zone': 'DATETIME(3)',
  'timestamp without time zone': 'DATETIME(3)',
  json: 'JSON',
  jsonb: 'JSON',
  object: 'JSON',
  array: 'JSON',
  binary: 'LONGBLOB',
  bytea: 'LONGBLOB',
  buffer: 'LONGBLOB',
};

/** Key columns need a bounded type: MySQL cannot index a whole TEXT/BLOB. */
const KEY_TYPES: Record<string, string> = {
  LONGTEXT: 'VARCHAR(255)',
  LONGBLOB: 'VARBINARY(255)',
  JSON: 'VARCHAR(255)',
};

/** The MySQL type for a column: its declared type when it is a MySQL one, else a mapped or inferred one. */
export function columnType(column: ColumnInfo, sample: readonly Row[], isKey: boolean): string {
  const declared = column.nativeType?.trim();
  // Portable lowercase names first (`integer`, `timestamp` mean the wide kind), then MySQL spellings.
  let type = declared === undefined ? undefined : GENERIC_TYPES[declared];
  if (type === undefined && declared !== undefined && MYSQL_TYPE.test(declared))
    type = declared.toUpperCase();
  if (type === undefined && declared !== undefined) type = GENERIC_TYPES[declared.toLowerCase()];
  type ??= inferType(sample.map((row) => row[column.name]));
  return isKey ? (KEY_TYPES[type] ?? type) : type;
}

function inferType(values: readonly unknown[]): string {
  const present = values.filter((value) => value !== null && value !== undefined);
  if (present.length === 0) return 'LONGTEXT';
  if (present.every((value) => typeof value === 'bigint')) return 'BIGINT';
  if (present.every((value) => typeof value === 'number' || typeof value === 'bigint')) {
    return present.every((value) => typeof value === 'bigint' || Number.isSafeInteger(value))
      ? 'BIGINT'
      : 'DOUBLE';
  }
  if (present.every((value) => typeof value === 'boolean')) return 'TINYINT(1)';
  if (present.every((value) => value instanceof Date)) return 'DATETIME(3)';
  if (present.every((value) => value instanceof Uint8Array)) return 'LONGBLOB';
  if (present.every((value) => typeof value === 'object')) return 'JSON';
  return 'LONGTEXT';
}

/** `CREATE TABLE` for the columns of a write, with the primary key when one is given. */
export function createTableStatement(
  table: string,
  columns: readonly ColumnInfo[],
  sample: readonly Row[],
  primaryKey: readonly string[],
): string {
  const keys = new Set(primaryKey);
  const definitions = columns.map((column) => {
    const isKey = keys.has(column.name);
    const nullable = !isKey && column.nullable !== false;
    return `${quoteIdentifier(column.name, 'column name')} ${columnType(column, sample, isKey)}${nullable ? ' NULL' : ' NOT NULL'}`;
  });
  if (primaryKey.length > 0) {
    definitions.push(
      `PRIMARY KEY (${primaryKey.map((name) => quoteIdentifier(name, 'column name')).join(', ')})`,
    );
  }
  return `CREATE TABLE ${quoteIdentifier(table, 'table name')} (${definitions.join(', ')})`;
}
