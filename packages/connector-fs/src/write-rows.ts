/**
 * The text of a file written from a write request: the column set and logical types fixed before the
 * first row, every batch checked and brought to canonical values (core's `rowConverter`) before any of it
 * is encoded, then encoded by the format's encoder, in chunks, with backpressure.
 */
import {
  type CanonicalValue,
  rowConverter,
  typeUnsupported,
  ValueProblem,
  valueRejected,
  type WriteColumn,
  type WriteRequestBase,
  writeColumns,
} from '@osiris/core';
import { assertKnownColumns, compareCodePoints } from './columns.js';
import { type CanonicalDateFormatter, canonicalDateFormat } from './csv/date-format.js';
import { unsupportedValue } from './json-text.js';

/** Encodes the records of one file format. */
export interface RecordEncoder {
  /** Text before the first record (a CSV header), given the column names. */
  header(columns: readonly string[]): string;
  /** Text of a batch of canonical rows, values in `columns` order. */
  records(rows: readonly (readonly CanonicalValue[])[], columns: readonly string[]): string;
}

/** How one write turns rows into text. */
export interface RowTextOptions {
  /** The file format's encoder. */
  encoder: RecordEncoder;
  /** Whether to start with `encoder.header()`. */
  header: boolean;
  /** Whether the column set is put in code-point order. */
  sortColumns: boolean;
  /** Whether a row may hold keys outside the column set (they are dropped). */
  ignoreExtraColumns: boolean;
  /** The sink in messages: `file exports/orders.csv`. */
  sink: string;
  /** `date_format` and `timezone` for datetime and timestamp columns (CSV); unset, canonical text. */
  dateFormat?: { pattern: string; timezone?: string };
  /** Receives the typed columns once they are fixed (before the first text). */
  onColumns: (columns: readonly WriteColumn[]) => void;
  /** Called after each batch is encoded, with the totals so far. */
  onBatch: (batches: number, rows: number) => void;
}

/** Text pieces are gathered up to this many characters, so that small batches do not mean small writes. */
const CHUNK_CHARS = 64 * 1024;

/**
 * The text of a file written from `request.rows`, in chunks, pulling the next batch only when the
 * previous chunk has been taken (so a slow disk slows the source: backpressure, bounded memory).
 */
export async function* rowsAsText(
  request: WriteRequestBase,
  options: RowTextOptions,
): AsyncGenerator<string> {
  const { encoder, onBatch } = options;
  let plan: WritePlan | undefined;
  let pending = '';
  let batches = 0;
  let rows = 0;
  for await (const batch of request.rows) {
    if (!Array.isArray(batch))
      throw unsupportedValue(batch, 'rows must yield arrays (batches) of row objects');
    if (plan === undefined) {
      plan = await writePlan(request, batch, options);
      if (options.header) pending = encoder.header(plan.names);
    }
    if (!options.ignoreExtraColumns) assertKnownColumns(batch, plan.known, rows);
    const values = plan.convert(batch, rows);
    plan.format(values, rows);
    pending += encoder.records(values, plan.names);
    batches++;
    rows += batch.length;
    onBatch(batches, rows);
    if (pending.length >= CHUNK_CHARS) {
      yield pending;
      pending = '';
    }
  }
  if (plan === undefined) {
    // No rows: the header alone still says what the file holds, when the columns are known.
    plan = await writePlan(request, [], options);
    if (options.header && plan.names.length > 0) pending = encoder.header(plan.names);
  }
  if (pending !== '') yield pending;
}

interface WritePlan {
  names: string[];
  known: Set<string>;
  convert: ReturnType<typeof rowConverter>;
  /** Applies `date_format` to the date-time columns of canonical rows, in place. */
  format: (rows: CanonicalValue[][], rowsBefore: number) => void;
}

async function writePlan(
  request: WriteRequestBase,
  sample: readonly Record<string, unknown>[],
  options: RowTextOptions,
): Promise<WritePlan> {
  let columns = await writeColumns(request, sample);
  if (options.sortColumns) columns = [...columns].sort((a, b) => compareCodePoints(a.name, b.name));
  const format = dateFormatting(columns, options);
  options.onColumns(columns);
  const names = columns.map((column) => column.name);
  const convert = rowConverter(
    columns.map((column) => ({
      name: column.name,
      target: column.type,
      source: column.described ? column.type : undefined,
      nullable: column.nullable,
    })),
    options.sink,
  );
  return { names, known: new Set(names), convert, format };
}

/** The `date_format` step: nothing by default; with a pattern, every date-time value shown by it, or refused. */
function dateFormatting(
  columns: readonly WriteColumn[],
  options: RowTextOptions,
): (rows: CanonicalValue[][], rowsBefore: number) => void {
  const pattern = options.dateFormat?.pattern;
  if (pattern === undefined) return () => {};
  const formatters: Array<[number, CanonicalDateFormatter]> = [];
  columns.forEach((column, index) => {
    const { type } = column;
    if (type.kind !== 'datetime' && type.kind !== 'timestamp') return;
    try {
      formatters.push([index, canonicalDateFormat(pattern, type.kind, options.dateFormat?.timezone)]);
    } catch (error) {
      throw typeUnsupported(
        column.name,
        type,
        options.sink,
        `${(error as Error).message}; leave date_format unset to write ISO 8601 text, which keeps every digit`,
      );
    }
  });
  return (rows, rowsBefore) => {
    for (const [c, formatter] of formatters) {
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r]!;
        const value = row[c];
        if (typeof value !== 'string') continue;
        try {
          row[c] = formatter(value);
        } catch (error) {
          if (!(error instanceof ValueProblem)) throw error;
          const column = columns[c]!;
          throw valueRejected(
            error,
            { column: column.name, row: rowsBefore + r + 1, type: column.type },
            options.sink,
          );
        }
      }
    }
  };
}
