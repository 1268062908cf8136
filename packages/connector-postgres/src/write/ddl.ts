/**
 * The one mapping table from logical types to the PostgreSQL column types a created table gets (the README's
 * "creating" table): each keeps every canonical value of its logical type, or the type is refused up front.
 */
import { type ColumnInfo, ConnectorError, type LogicalType } from '@osiris/core';
import { qualifiedName, quoteIdentifier, quoteLiteral } from '../sql.js';

/** PostgreSQL keeps microseconds at most; finer values are refused one by one (rowConverter). */
const MAX_SECOND_DIGITS = 6;

/** varchar's largest length; longer bounds become text. */
const MAX_VARCHAR = 10_485_760;

/** The smallest integer type holding every value of `integer(bits, unsigned)`. */
function integerType(bits: number, unsigned: boolean): string {
  // An unsigned type needs one more bit than its width once it is signed.
  const signedBits = unsigned ? bits + 1 : bits;
  if (signedBits <= 16) return 'smallint';
  if (signedBits <= 32) return 'integer';
  if (signedBits <= 64) return 'bigint';
  return 'numeric(20,0)'; // bigint unsigned: up to 18446744073709551615
}

/** The column type (and constraint) for a logical type. */
export function columnType(name: string, type: LogicalType): string {
  const seconds = (precision: number) => Math.min(precision, MAX_SECOND_DIGITS);
  switch (type.kind) {
    case 'string':
      return type.maxLength !== undefined && type.maxLength <= MAX_VARCHAR
        ? `varchar(${type.maxLength})`
        : 'text';
    case 'integer':
      return integerType(type.bits, type.unsigned);
    case 'decimal':
      return type.precision === undefined || type.precision > 1000
        ? 'numeric'
        : `numeric(${type.precision},${type.scale ?? 0})`;
    case 'float':
      return type.bits === 32 ? 'real' : 'double precision';
    case 'boolean':
      return 'boolean';
    case 'date':
      return 'date';
    case 'time':
      return `time(${seconds(type.precision)})`;
    case 'datetime':
      return `timestamp(${seconds(type.precision)})`;
    case 'timestamp':
      return `timestamptz(${seconds(type.precision)})`;
    case 'bytes':
      return 'bytea';
    case 'json':
      // Not jsonb: jsonb reorders keys, drops duplicate keys and respells numbers, so the text would change.
      return 'json';
    case 'enum':
      // A CHECK instead of CREATE TYPE: no schema-wide object to manage, and the members stay plain text.
      return `text CHECK (${quoteIdentifier(name)} IN (${type.members.map(quoteLiteral).join(', ')}))`;
    case 'set':
      return 'text';
  }
}

/** `CREATE TABLE` for columns whose types are settled, with the primary key when one is given. */
export function createTableStatement(
  schema: string,
  table: string,
  columns: ReadonlyArray<ColumnInfo & { type: LogicalType }>,
  primaryKey: readonly string[],
): string {
  if (columns.length === 0) {
    throw new ConnectorError(`Cannot create PostgreSQL table ${schema}.${table}: no columns are known`, {
      code: 'NO_COLUMNS',
      category: 'config',
      hint: 'Declare columns (or send at least one row) so the table can be created',
    });
  }
  const definitions = columns.map((column) => {
    const notNull = column.nullable === false || primaryKey.includes(column.name) ? ' NOT NULL' : '';
    return `${quoteIdentifier(column.name, 'column name')} ${columnType(column.name, column.type)}${notNull}`;
  });
  if (primaryKey.length > 0) {
    definitions.push(
      `PRIMARY KEY (${primaryKey.map((name) => quoteIdentifier(name, 'column name')).join(', ')})`,
    );
  }
  return `CREATE TABLE IF NOT EXISTS ${qualifiedName(schema, table)} (\n  ${definitions.join(',\n  ')}\n)`;
}
