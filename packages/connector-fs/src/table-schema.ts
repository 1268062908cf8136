/**
 * The type mapping of connector-fs, both ways: a file's columns as a Frictionless Table Schema
 * (https://datapackage.org/standard/table-schema/) and back. Every field carries the standard `type`,
 * `format` and `constraints`, plus `osirisType`, the exact logical type (bits, precision, members…) that
 * Table Schema has no words for; a descriptor without it (written by another tool) maps by its `type`.
 */
import { type ColumnInfo, ConnectorError, type LogicalType } from '@osiris/core';
import { dateFormatReader } from './csv/date-format.js';
import type { FileDialect } from './requests.js';

/** A Table Schema field descriptor, as this connector writes and reads it. */
export interface TableSchemaField {
  /** Column name. */
  name: string;
  /** Table Schema type (`string`, `integer`, `number`…). */
  type?: string;
  /** Table Schema format (`binary` for base64 bytes), when not the default. */
  format?: string;
  /** Validation rules a standard consumer applies. */
  constraints?: { required?: boolean; enum?: readonly string[]; maxLength?: number; [rule: string]: unknown };
  /** Texts a boolean field reads as true. */
  trueValues?: readonly string[];
  /** Texts a boolean field reads as false. */
  falseValues?: readonly string[];
  /** The exact logical type of @osiris/core, which the standard `type` only approximates. */
  osirisType?: LogicalType;
}

/** A Table Schema descriptor for one CSV or JSON Lines file. */
export interface TableSchema {
  /** The Table Schema profile. */
  $schema?: string;
  /** The columns, in file order. */
  fields: TableSchemaField[];
  /** Unquoted CSV texts that mean NULL (JSON Lines has its own null). */
  missingValues?: readonly string[];
  /** Names of the primary key columns. */
  primaryKey?: readonly string[] | string;
  /** How the file was written (CSV delimiter and header, encoding): a read without those options follows it. */
  osirisDialect?: FileDialect;
  /** The data file this descriptor was written with, so that a reader can tell it apart from another version. */
  osirisData?: { bytes: number; sha256: string };
}

export const TABLE_SCHEMA_PROFILE = 'https://datapackage.org/profiles/2.0/tableschema.json';

/** The descriptor's path for a data file: `<file>.schema.json`, next to it. */
export function descriptorPath(path: string): string {
  return `${path}.schema.json`;
}

/** Whether a file name is that of a descriptor written next to a CSV or JSON Lines file. */
export function isDescriptorName(name: string): boolean {
  return /\.(csv|jsonl|ndjson)\.schema\.json$/i.test(name);
}

/** How a data file was written, as its descriptor records it. */
export interface WrittenFile {
  /** `csv` or `jsonl`. */
  format: 'csv' | 'jsonl';
  /** The CSV text of null. */
  nullText: string;
  /** Delimiter, header and encoding it was written with. */
  dialect: FileDialect;
  /** The `date_format` datetime and timestamp columns were written with, when not the canonical text. */
  dateFormat?: string;
  /** Size of the data file. */
  bytes: number;
  /** SHA-256 of the data file, hex. */
  sha256: string;
}

/** The descriptor of a file written with these columns. */
export function tableSchema(
  columns: readonly (ColumnInfo & { type: LogicalType })[],
  file: WrittenFile,
): TableSchema {
  const keys = columns.filter((column) => column.primaryKey === true).map((column) => column.name);
  return {
    $schema: TABLE_SCHEMA_PROFILE,
    fields: columns.map((column) => {
      const field = fieldOf(column);
      const kind = column.type.kind;
      if (file.dateFormat !== undefined && (kind === 'datetime' || kind === 'timestamp'))
        field.format = file.dateFormat;
      return field;
    }),
    // CSV: an unquoted empty field is NULL (a quoted one is ''); JSON has its own null, and its strings are never NULL.
    missingValues: file.format === 'csv' ? [file.nullText] : [],
    ...(keys.length > 0 ? { primaryKey: keys } : {}),
    osirisDialect: file.dialect,
    osirisData: { bytes: file.bytes, sha256: file.sha256 },
  };
}

/** The Table Schema field of a column of a logical type (the table in the README). */
export function fieldOf(column: ColumnInfo & { type: LogicalType }): TableSchemaField {
  const { type } = column;
  const field: TableSchemaField = { name: column.name, ...standardTypeOf(type) };
  const constraints: NonNullable<TableSchemaField['constraints']> = {};
  if (column.nullable === false) constraints.required = true;
  if (type.kind === 'string' && type.maxLength !== undefined) constraints.maxLength = type.maxLength;
  if (type.kind === 'enum') constraints.enum = type.members;
  if (type.kind === 'integer') {
    constraints.minimum = jsonInteger(type.unsigned ? 0n : -(1n << BigInt(type.bits - 1)));
    constraints.maximum = jsonInteger(
      type.unsigned ? (1n << BigInt(type.bits)) - 1n : (1n << BigInt(type.bits - 1)) - 1n,
    );
  }
  if (Object.keys(constraints).length > 0) field.constraints = constraints;
  if (type.kind === 'boolean') {
    field.trueValues = ['true'];
    field.falseValues = ['false'];
  }
  field.osirisType = type;
  return field;
}

/** A JSON number where a double holds it exactly; beyond 2^53 its digits as a string, which Table Schema allows. */
function jsonInteger(value: bigint): number | string {
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : String(value);
}

function standardTypeOf(type: LogicalType): { type: string; format?: string } {
  switch (type.kind) {
    case 'decimal':
    case 'float':
      return { type: 'number' };
    case 'integer':
    case 'boolean':
    case 'date':
    case 'time':
    case 'datetime':
      return { type: type.kind };
    case 'timestamp':
      return { type: 'datetime' };
    case 'bytes':
      return { type: 'string', format: 'binary' };
    default:
      // string, json (its text), enum (constrained by its members), set (members joined by commas).
      return { type: 'string' };
  }
}

/** The columns a descriptor describes, with logical types; `source` names the descriptor in messages. */
export function columnsOf(schema: unknown, source: string): ColumnInfo[] {
  if (typeof schema !== 'object' || schema === null || !Array.isArray((schema as TableSchema).fields)) {
    throw invalidDescriptor(source, 'it has no "fields" array');
  }
  const { fields, primaryKey } = schema as TableSchema;
  const keys = new Set(typeof primaryKey === 'string' ? [primaryKey] : (primaryKey ?? []));
  const seen = new Set<string>();
  return fields.map((field, index) => {
    if (typeof field !== 'object' || field === null || typeof field.name !== 'string') {
      throw invalidDescriptor(source, `field ${index + 1} has no "name"`);
    }
    if (seen.has(field.name))
      throw invalidDescriptor(source, `it names field ${JSON.stringify(field.name)} twice`);
    seen.add(field.name);
    let type =
      field.osirisType === undefined ? logicalTypeOf(field) : checkedType(field.osirisType, field, source);
    // A date-time in another format reads as its text, unless it is a date_format pattern this reader knows.
    if (isDateKind(type.kind) && field.format !== undefined && field.format !== 'default') {
      const pattern = patternOf(field);
      if (pattern === undefined || !readsBack(pattern, type)) type = { kind: 'string' };
    }
    const required = field.constraints?.required === true || keys.has(field.name);
    return {
      name: field.name,
      type,
      nativeType: field.format === undefined ? (field.type ?? 'any') : `${field.type} (${field.format})`,
      nullable: !required,
      primaryKey: keys.has(field.name),
    };
  });
}

/** A field written by another tool: its standard type, mapped to the logical type that keeps its values. */
function logicalTypeOf(field: TableSchemaField): LogicalType {
  switch (field.type) {
    case 'string':
      if (field.format === 'binary') return { kind: 'bytes' };
      if (Array.isArray(field.constraints?.enum)) return { kind: 'enum', members: field.constraints.enum };
      return { kind: 'string' };
    case 'integer':
      return { kind: 'integer', bits: 64, unsigned: false };
    case 'number':
      // Any number of digits: a decimal keeps them all, where a double would round.
      return { kind: 'decimal' };
    case 'boolean':
      return { kind: 'boolean' };
    case 'year':
      return { kind: 'integer', bits: 32, unsigned: false };
    case 'date':
      return { kind: 'date' };
    case 'time':
    case 'datetime':
      return { kind: field.type, precision: 6 };
    case 'object':
    case 'array':
      return { kind: 'json' };
    default:
      return { kind: 'string' };
  }
}

const ENCODINGS = new Set(['utf-8', 'utf-16le', 'latin1']);

/** A descriptor's `osirisDialect`, checked: what it says of the delimiter, header and encoding. */
export function dialectOf(schema: TableSchema, source: string): FileDialect {
  const dialect = schema.osirisDialect;
  if (dialect === undefined) return {};
  const { delimiter, header, encoding } = dialect;
  const valid =
    typeof dialect === 'object' &&
    dialect !== null &&
    (delimiter === undefined ||
      (typeof delimiter === 'string' && delimiter.length === 1 && !/["\r\n]/.test(delimiter))) &&
    (header === undefined || typeof header === 'boolean') &&
    (encoding === undefined || ENCODINGS.has(encoding));
  if (!valid)
    throw invalidDescriptor(
      source,
      'its osirisDialect needs a one-character delimiter, a boolean header and a known encoding',
    );
  return { delimiter, header, encoding };
}

/** A field's strptime pattern, when its format is one (not `default`, `any` or a string format). */
function patternOf(field: TableSchemaField): string | undefined {
  const format = field.format;
  return format?.includes('%') ? format : undefined;
}

/** Whether values of `type` written with `pattern` can be read back into canonical values (else they stay text). */
function readsBack(pattern: string, type: LogicalType): boolean {
  if (type.kind !== 'datetime' && type.kind !== 'timestamp') return false;
  try {
    dateFormatReader(pattern, type.kind);
    return true;
  } catch {
    return false;
  }
}

/** The date_format patterns of a descriptor's date-time fields, by field name. */
export function dateFormatsOf(schema: TableSchema, columns: readonly ColumnInfo[]): Map<string, string> {
  const formats = new Map<string, string>();
  schema.fields.forEach((field, index) => {
    const pattern = patternOf(field);
    const kind = columns[index]?.type?.kind;
    if (pattern !== undefined && (kind === 'datetime' || kind === 'timestamp'))
      formats.set(field.name, pattern);
  });
  return formats;
}

const isDateKind = (kind: LogicalType['kind']) =>
  kind === 'date' || kind === 'time' || kind === 'datetime' || kind === 'timestamp';

const KINDS = new Set<LogicalType['kind']>([
  'string',
  'integer',
  'decimal',
  'float',
  'boolean',
  'date',
  'time',
  'datetime',
  'timestamp',
  'bytes',
  'json',
  'enum',
  'set',
]);

/** An `osirisType` as read from a file: a known kind whose parameters describe a type. */
function checkedType(type: unknown, field: TableSchemaField, source: string): LogicalType {
  const candidate = type as LogicalType;
  const problem = typeProblem(candidate);
  if (problem !== undefined) {
    throw invalidDescriptor(source, `field ${JSON.stringify(field.name)} has an osirisType that ${problem}`);
  }
  return candidate;
}

function typeProblem(type: LogicalType): string | undefined {
  if (typeof type !== 'object' || type === null || !KINDS.has(type.kind)) return 'names no known kind';
  const whole = (value: unknown, min: number, max: number) =>
    Number.isInteger(value) && (value as number) >= min && (value as number) <= max;
  switch (type.kind) {
    case 'integer':
      return whole(type.bits, 1, 64) && typeof type.unsigned === 'boolean'
        ? undefined
        : 'needs bits 1–64 and unsigned';
    case 'float':
      return type.bits === 32 || type.bits === 64 ? undefined : 'needs bits 32 or 64';
    case 'time':
    case 'datetime':
    case 'timestamp':
      return whole(type.precision, 0, 9) ? undefined : 'needs a precision 0–9';
    case 'enum':
    case 'set':
      return Array.isArray(type.members) && type.members.every((member) => typeof member === 'string')
        ? undefined
        : 'needs members (strings)';
    default:
      return undefined;
  }
}

/** `DESCRIPTOR_INVALID`: a descriptor this connector cannot use, naming it and why. */
export function invalidDescriptor(source: string, reason: string): ConnectorError {
  return new ConnectorError(`The Table Schema ${source} is not usable: ${reason}`, {
    code: 'DESCRIPTOR_INVALID',
    category: 'config',
    hint: 'Fix or delete the descriptor, or read with table_schema: false (every value then reads as text)',
    file: source,
  });
}
