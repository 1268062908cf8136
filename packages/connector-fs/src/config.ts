import { field } from '@osiris/core';
import { z } from 'zod';
import { compileDateFormat } from './csv/date-format.js';

/** A zod check that runs `probe` and reports the error it throws as the issue. */
const accepts = (probe: (value: string) => unknown) => (value: string, context: z.RefinementCtx) => {
  try {
    probe(value);
  } catch (error) {
    context.addIssue({ code: 'custom', message: (error as Error).message });
  }
};

/** CSV and file settings a connection sets as defaults and a single read or write may override. */
export const fileSettings = {
  /** One character between fields. */
  delimiter: z
    .string()
    .length(1, 'Expected one character')
    .refine((value) => !/["\r\n]/.test(value), 'A delimiter cannot be a double quote, CR or LF'),
  /** Record terminator. */
  newline: z.enum(['lf', 'crlf']),
  /** Whether the first record holds the column names. */
  header: field.boolean(),
  /** Text encoding of the file; a UTF-8 or UTF-16LE byte-order mark is skipped on read. */
  encoding: z.enum(['utf-8', 'utf-16le', 'latin1']),
  /** When fields are quoted (see `CsvEncoder`). */
  quoting: z.enum(['minimal', 'all', 'nonnumeric']),
  /** strftime-like pattern for date-times; unset, they are written as their canonical ISO 8601 text. */
  date_format: z.string().superRefine(accepts((pattern) => compileDateFormat(pattern))),
  /** IANA time zone for dates; UTC when unset. */
  timezone: z.string().superRefine(accepts((zone) => compileDateFormat('%H', zone))),
  /** Text written for null. */
  null_value: z.string(),
  /** Columns in Unicode code-point order (the original's deterministic rule) rather than as found. */
  sort_columns: field.boolean(),
};

/** The config of one `filesystem` connection, as a user writes it in `osiris_connections.yaml`. */
export const fsConfigSchema = z.strictObject({
  /** Every path is resolved inside this directory. */
  base_dir: field.string(),
  /** Create base_dir and missing parent directories on write. */
  create_dirs: field.boolean().default(true),
  delimiter: fileSettings.delimiter.default(','),
  newline: fileSettings.newline.default('lf'),
  header: fileSettings.header.default(true),
  encoding: fileSettings.encoding.default('utf-8'),
  quoting: fileSettings.quoting.default('minimal'),
  date_format: fileSettings.date_format.optional(),
  timezone: fileSettings.timezone.optional(),
  null_value: fileSettings.null_value.default(''),
  sort_columns: fileSettings.sort_columns.default(true),
});

/** A validated `filesystem` config. */
export type FsConfig = z.output<typeof fsConfigSchema>;
