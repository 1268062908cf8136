import { type ColumnInfo, field, type ReadRequestBase, type WriteRequestBase } from '@osiris/core';
import { z } from 'zod';
import { type FsConfig, fileSettings } from './config.js';
import { invalidRequest } from './fs-errors.js';

/** The file formats the connector reads and writes. */
export type FileFormat = 'csv' | 'jsonl';

/** File settings a request may override (defaults come from the connection config). */
export type FileSettings = z.input<z.ZodObject<typeof fileSettings>>;

/** A write of rows to one file, replacing it atomically. */
export interface FsWriteRequest extends WriteRequestBase, Partial<FileSettings> {
  /** File path relative to base_dir. */
  path: string;
  /** `csv` or `jsonl`; taken from the extension (`.csv`, `.jsonl`, `.ndjson`) when omitted. */
  format?: FileFormat;
  /** A row with a column outside the column set: `error` (default, `SCHEMA_MISMATCH`) or `ignore` it. */
  on_extra_columns?: 'error' | 'ignore';
  /** Write the column types to `<path>.schema.json` (a Frictionless Table Schema); default true. */
  table_schema?: boolean;
}

/** A line a read could not use, reported under `on_bad_lines: 'warn'`. */
export interface BadLine {
  /** Path as requested. */
  path: string;
  /** 1-based line number in the file. */
  line: number;
  /** 1-based column of a CSV syntax problem (a stray or unclosed quote), in characters. */
  column?: number;
  /** What is wrong with it. */
  message: string;
}

/** A streaming read of rows from one file. */
export interface FsReadRequest extends ReadRequestBase {
  /** File path relative to base_dir. */
  path: string;
  /** `csv` or `jsonl`; taken from the extension when omitted. */
  format?: FileFormat;
  /**
   * Only these columns, in this order (a column missing from a JSON line reads as null); a `ColumnInfo`
   * with a `type` also declares its logical type, over the file's descriptor.
   */
  columns?: readonly (string | ColumnInfo)[];
  /** Use the file's `<path>.schema.json` when there is one; default true. */
  table_schema?: boolean;
  /** Lines to skip at the start of the file, before the header. */
  skip_rows?: number;
  /** Stop after this many rows. */
  limit?: number;
  /** CSV delimiter (default from the config). */
  delimiter?: string;
  /** File encoding (default from the config). */
  encoding?: FileSettings['encoding'];
  /** Whether the first CSV record holds the column names; without, columns are `column_1`, `column_2`… */
  header?: boolean | string;
  /**
   * Unquoted CSV fields that read as null (a quoted field is always text); default: the descriptor's
   * `missingValues`, else the config's `null_value`, i.e. unquoted empty fields.
   */
  null_values?: readonly string[];
  /** A malformed line: `error` (default, `BAD_LINE` with its line number), `skip` it, or `warn` and skip. */
  on_bad_lines?: 'error' | 'skip' | 'warn';
  /** Receives the lines skipped under `warn`; without it they go to `process.emitWarning`. */
  onWarning?: (badLine: BadLine) => void;
}

/** How a file was written, as its descriptor records it: a read takes what its request leaves open from here. */
export interface FileDialect {
  /** CSV delimiter. */
  delimiter?: string;
  /** Whether the CSV file starts with a header record. */
  header?: boolean;
  /** Text encoding of the file. */
  encoding?: FileSettings['encoding'];
}

/** Settings of one read, after the request is laid over the file's dialect and the config. */
export type ReadSettings = ReturnType<typeof readSettings>;

const format = z.enum(['csv', 'jsonl']).optional();
const contractField = z.unknown().optional();

const writeRequestSchema = z.strictObject({
  ...z.object(fileSettings).partial().shape,
  path: z.string(),
  format,
  on_extra_columns: z.enum(['error', 'ignore']).default('error'),
  table_schema: field.boolean().default(true),
  rows: contractField,
  columns: contractField,
  onProgress: contractField,
  signal: contractField,
});

const readRequestSchema = z.strictObject({
  path: z.string(),
  format,
  columns: z.array(z.union([z.string(), z.looseObject({ name: z.string() })])).optional(),
  table_schema: field.boolean().default(true),
  skip_rows: z.int().min(0).default(0),
  limit: z.int().min(0).optional(),
  delimiter: fileSettings.delimiter.optional(),
  encoding: fileSettings.encoding.optional(),
  header: fileSettings.header.optional(),
  null_values: z.array(z.string()).optional(),
  on_bad_lines: z.enum(['error', 'skip', 'warn']).default('error'),
  onWarning: contractField,
  batchSize: z.int().min(1).default(1000),
  signal: contractField,
});

/** A write request validated (`REQUEST_INVALID` otherwise) and laid over the config's file settings. */
export function writeSettings(config: FsConfig, request: FsWriteRequest) {
  const options = parseRequest(writeRequestSchema, request, 'write');
  return {
    ...pickFileSettings(config),
    ...withoutUndefined(options),
    format: options.format ?? formatOf(options.path),
  };
}

/** A read request validated (`REQUEST_INVALID` otherwise) and laid over the file's dialect, then the config's settings. */
export function readSettings(config: FsConfig, request: FsReadRequest, dialect: FileDialect = {}) {
  const options = parseRequest(readRequestSchema, request, 'read');
  return {
    ...options,
    format: options.format ?? formatOf(options.path),
    delimiter: options.delimiter ?? dialect.delimiter ?? config.delimiter,
    encoding: options.encoding ?? dialect.encoding ?? config.encoding,
    header: options.header ?? dialect.header ?? config.header,
    /** Used when neither the request nor a descriptor names the texts of null. */
    default_null_values: [config.null_value],
  };
}

function pickFileSettings(config: FsConfig) {
  const { base_dir: _base, create_dirs: _create, ...settings } = config;
  return settings;
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, item]) => item !== undefined)) as T;
}

function parseRequest<T extends z.ZodType>(schema: T, request: unknown, action: string): z.output<T> {
  const result = schema.safeParse(request);
  if (result.success) return result.data;
  throw invalidRequest(
    `Invalid ${action} request: ${result.error.issues.map((issue) => `${issue.path.join('.') || 'request'}: ${issue.message}`).join('; ')}`,
    `See the ${action} options in the @osiris/connector-fs README`,
  );
}

/** The Node name of a configured encoding. */
export function nodeEncoding(encoding: FileSettings['encoding']): BufferEncoding {
  return encoding === 'utf-16le' ? 'utf16le' : encoding === 'latin1' ? 'latin1' : 'utf8';
}

/** The format a file name implies (`.csv`; `.jsonl`, `.ndjson`), if any. */
export function formatOfName(path: string): FileFormat | undefined {
  if (/\.csv$/i.test(path)) return 'csv';
  if (/\.(jsonl|ndjson)$/i.test(path)) return 'jsonl';
  return undefined;
}

/** The format a request's file name implies; a name that implies none is `REQUEST_INVALID`. */
function formatOf(path: string): FileFormat {
  const format = formatOfName(path);
  if (format !== undefined) return format;
  throw invalidRequest(
    `Cannot tell the format of ${JSON.stringify(path)} from its extension`,
    "Pass format: 'csv' or 'jsonl'",
  );
}
