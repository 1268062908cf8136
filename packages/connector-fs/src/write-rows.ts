/**
 * The text of a file written from a write request: the rows taken through core's `sinkInput` (the source's
 * positional batches when it offers them, else its row objects in column order), the column set and logical
 * types fixed before the first row, every batch checked and brought to canonical values (core's
 * `positionalConverter`, no work for a described source whose types fit) before any of it is encoded, then
 * encoded by the format's encoder straight from the arrays into bytes of the file's encoding (one reused buffer,
 * so no text of a batch is left as strings for the garbage collector), in chunks, with backpressure.
 */
import {
  type CanonicalValue,
  type PositionalBatch,
  positionalConverter,
  type Row,
  sinkInput,
  typeUnsupported,
  ValueProblem,
  valueRejected,
  type WriteColumn,
  type WriteRequestBase,
} from '@osiris/core';
import { compareCodePoints } from './columns.js';
import { type CanonicalDateFormatter, canonicalDateFormat } from './csv/date-format.js';
import { unsupportedValue } from './json-text.js';
import { TextBytes } from './text-bytes.js';

/** Encodes the records of one file format. */
export interface RecordEncoder {
  /** Text before the first record (a CSV header), given the column names. */
  header(columns: readonly string[]): string;
  /** Appends to `out` a batch of canonical rows: record field `i` is `row[positions[i]]`, of the column `columns[i]`. */
  records(
    rows: readonly (readonly CanonicalValue[])[],
    columns: readonly string[],
    positions: readonly number[],
    out: TextBytes,
  ): void;
}

/** How one write turns rows into text. */
export interface RowTextOptions {
  /** The file format's encoder. */
  encoder: RecordEncoder;
  /** The file's encoding, in Node's name. */
  encoding: BufferEncoding;
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
  /** Receives the typed columns in file order once they are fixed (before the first text), and the lane taken. */
  onColumns: (columns: readonly WriteColumn[], fastLane: boolean) => void;
  /** Called after each batch is encoded, with the totals so far. */
  onBatch: (batches: number, rows: number) => void;
}

/** Bytes are gathered up to this many, so that small batches do not mean small writes. */
const CHUNK_BYTES = 64 * 1024;

/**
 * The bytes of a file written from `request.rows`, in chunks, pulling the next batch only when the
 * previous chunk has been taken (so a slow disk slows the source: backpressure, bounded memory). Each chunk
 * is a view of one reused buffer, valid until the next is asked for: the consumer writes it before that.
 */
export async function* rowsAsBytes(
  request: WriteRequestBase,
  options: RowTextOptions,
): AsyncGenerator<Uint8Array> {
  const { encoder, onBatch } = options;
  const input = await sinkInput(request, {
    onRowObjects: assertBatch,
    extraKeys: options.ignoreExtraColumns ? 'ignore' : 'refuse',
    extraKeysHint: "Declare every column in `columns`, or pass on_extra_columns: 'ignore' to drop extra ones",
  });
  try {
    const plan = writePlan(input.columns, options);
    options.onColumns(plan.columns, input.fastLane);
    const pending = new TextBytes(options.encoding);
    if (options.header && plan.names.length > 0) pending.append(encoder.header(plan.names));
    let batches = 0;
    let rows = 0;
    for await (const batch of input.batches) {
      const values = plan.convert(batch, rows);
      plan.format(values, rows);
      encoder.records(values, plan.names, plan.positions, pending);
      batches++;
      rows += batch.length;
      onBatch(batches, rows);
      if (pending.length >= CHUNK_BYTES) yield pending.take();
    }
    if (pending.length > 0) yield pending.take();
  } finally {
    await input.close();
  }
}

/** A source without a fast lane must yield arrays (batches) of row objects. */
function assertBatch(rows: readonly Row[]): void {
  if (!Array.isArray(rows)) throw unsupportedValue(rows, 'rows must yield arrays (batches) of row objects');
}

interface WritePlan {
  /** The columns in file order. */
  columns: WriteColumn[];
  names: string[];
  /** Where each file column's value sits in a batch's rows. */
  positions: number[];
  convert: ReturnType<typeof positionalConverter>;
  /** Applies `date_format` to the date-time columns of canonical rows, in place. */
  format: (rows: PositionalBatch, rowsBefore: number) => void;
}

function writePlan(columns: readonly WriteColumn[], options: RowTextOptions): WritePlan {
  const order = columns.map((_, i) => i);
  if (options.sortColumns) order.sort((a, b) => compareCodePoints(columns[a]!.name, columns[b]!.name));
  const inFile = order.map((i) => columns[i]!);
  const convert = positionalConverter(
    columns.map((column) => ({
      name: column.name,
      target: column.type,
      source: column.described ? column.type : undefined,
      nullable: column.nullable,
    })),
    options.sink,
  );
  return {
    columns: inFile,
    names: inFile.map((column) => column.name),
    positions: order,
    convert,
    format: dateFormatting(columns, options),
  };
}

/** The `date_format` step: nothing by default; with a pattern, every date-time value shown by it, or refused. */
function dateFormatting(
  columns: readonly WriteColumn[],
  options: RowTextOptions,
): (rows: PositionalBatch, rowsBefore: number) => void {
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
