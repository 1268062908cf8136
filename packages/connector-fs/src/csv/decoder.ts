import { type CanonicalValue, ConnectorError, type PositionalBatch } from '@osiris/core';
import { type CsvError, type Options, Parser } from 'csv-parse';
import type { BadLineHandler } from '../bad-lines.js';
import type { RecordDecoder } from '../file-rows.js';
import { columnsMismatch, type ReadPlan, type ReadTyping, readPlan, readValues } from '../read-plan.js';
import { nodeEncoding, type ReadSettings } from '../requests.js';

/**
 * Reads CSV with csv-parse, streaming. An unquoted field whose text is one of the null texts (by
 * default the empty field) is null; a quoted one is always text, so `""` reads as `''`. With a
 * descriptor or declared types, fields are parsed to canonical values (`fromText`); otherwise they stay
 * strings (columns of `{ kind: 'string' }`). A record with the wrong number of fields, a broken quote, or a
 * field its type refuses goes to `onBadLine`. Batches are positional: csv-parse's record arrays themselves,
 * converted where they lie when every column is returned in file order.
 */
export function csvDecoder(
  settings: ReadSettings,
  onBadLine: BadLineHandler,
  typing: ReadTyping,
): RecordDecoder {
  return {
    async *batches(chunks, onColumns) {
      const nullTexts =
        settings.null_values ?? typing.descriptor?.missingValues ?? settings.default_null_values;
      const described = typing.descriptor?.columns.map((column) => column.name);
      let plan: ReadPlan | undefined;
      let batch: PositionalBatch = [];
      const ready: PositionalBatch[] = [];

      const take = (record: Array<string | null>) => {
        if (plan === undefined) {
          const line = settings.skip_rows + 1;
          const names = settings.header
            ? uniqueNames(record.map((name) => name ?? ''))
            : (described ?? record.map((_, i) => `column_${i + 1}`));
          if (typing.descriptor !== undefined) {
            const width = settings.header ? names : record.map((_, i) => names[i] ?? `column_${i + 1}`);
            if (width.length !== described!.length || width.some((name, i) => name !== described![i])) {
              throw columnsMismatch(typing.descriptor, settings.path, line, width);
            }
          }
          plan = readPlan(names, typing, true, (name) => ({
            name,
            type: { kind: 'string' },
            nullable: nullTexts.length > 0,
          }));
          onColumns(plan.columns, true);
          if (settings.header) return;
        }
        let row = record as CanonicalValue[];
        if (plan.typed || !plan.inPlace) {
          if (!plan.inPlace) row = new Array(plan.indices.length);
          const problem = readValues(plan, record, row);
          if (problem !== undefined) {
            onBadLine(parser.info.lines, problem);
            return;
          }
        }
        batch.push(row);
        if (batch.length === settings.batchSize) {
          ready.push(batch);
          batch = [];
        }
      };
      const parser = new RecordParser(
        {
          delimiter: settings.delimiter,
          bom: true,
          encoding: nodeEncoding(settings.encoding),
          from_line: settings.skip_rows + 1,
          skip_records_with_error: settings.on_bad_lines !== 'error',
        },
        take,
        nullTexts,
      );
      parser.on('error', () => {}); // read synchronously from `parser.errored` below
      parser.on('skip', (error: CsvError) => onBadLine(lineOf(error, parser), error.message));

      for await (const chunk of chunks) {
        parser.write(chunk);
        yield* ready.splice(0);
        if (parser.errored !== null || parser.failure !== undefined) break;
      }
      if (parser.errored === null && parser.failure === undefined) {
        // The last record is parsed only at the end: its errors must be waited for, not lost.
        await ended(parser);
        if (plan === undefined && parser.failure === undefined) onColumns([], true);
      }
      yield* ready.splice(0);
      if (batch.length > 0) yield batch;
      // The rows before a bad line are delivered first: a reader sees how far the file was good.
      if (parser.failure !== undefined) throw parser.failure;
      const failure = parser.errored as CsvError | null;
      if (failure !== null) onBadLine(lineOf(failure, parser), failure.message);
    },
  };
}

/**
 * csv-parse's parser, handing each record to `onRecord` the moment it is parsed instead of queueing it
 * as a stream chunk to be read back: a Transform emits its output through `push`, so this is where the
 * records pass. Rows are then batched by the caller, with no per-record stream bookkeeping.
 */
class RecordParser extends Parser {
  /** What `onRecord` threw (a bad line, a descriptor mismatch); later records are then passed over. */
  failure: unknown;

  constructor(
    options: Options,
    private readonly onRecord: (record: Array<string | null>) => void,
    nullTexts: readonly string[],
  ) {
    super(options);
    markNulls(this, nullTexts);
  }

  override push(record: unknown, encoding?: BufferEncoding): boolean {
    if (record === null) return super.push(null, encoding);
    if (this.failure !== undefined) return true;
    // Thrown through csv-parse, the error would be lost when the parser ends (its last record is parsed there).
    try {
      this.onRecord(record as Array<string | null>);
    } catch (error) {
      this.failure = error;
    }
    return true;
  }
}

/** The parts of csv-parse's parser state the null marking uses (csv-parse 6). */
interface ParserState {
  /** Whether the field being ended was quoted. */
  wasQuoting: boolean;
  /** The bytes of the field being parsed (a `ResizeableBuffer`). */
  field: { buf: Buffer; length: number; toString(encoding?: BufferEncoding): string | Uint8Array | null };
}

/**
 * Makes the parser hand out null, instead of the text, for an unquoted field whose text is a null
 * text. csv-parse gives a quoted empty field and an unquoted one as the same `''`; what still knows
 * the difference is its state when the field ends (`wasQuoting`), as the field's bytes are turned
 * into text (`state.field.toString(encoding)`, once a field). So the mark is made there, with no
 * extra step a field. The NULL-versus-'' tests guard this use of csv-parse's internals.
 */
function markNulls(parser: Parser, nullTexts: readonly string[]): void {
  if (nullTexts.length === 0) return;
  const state = (parser as unknown as { api: { state: ParserState } }).api.state;
  const field = state.field;
  // Without an encoding csv-parse asks for the raw bytes (to name a BOM in an error): those stay as they are.
  const bytes = field.toString;
  const isNull = nullTexts.length === 1 && nullTexts[0] === '' ? undefined : nullTest(nullTexts);
  field.toString = function (this: ParserState['field'], encoding?: BufferEncoding) {
    if (encoding === undefined) return bytes.call(this, encoding);
    if (isNull === undefined) {
      if (this.length > 0) return this.buf.toString(encoding, 0, this.length);
      return state.wasQuoting ? '' : null;
    }
    const text = this.buf.toString(encoding, 0, this.length);
    return !state.wasQuoting && isNull(text) ? null : text;
  };
}

/** Ends the parser and waits until it has parsed (and reported) the last record. */
function ended(parser: Parser): Promise<void> {
  return new Promise((resolve) => {
    parser.once('finish', resolve);
    parser.once('error', () => resolve());
    parser.end();
  });
}

function lineOf(error: CsvError, parser: Parser): number {
  return typeof error.lines === 'number' ? error.lines : parser.info.lines;
}

function nullTest(nullValues: readonly string[]): (text: string) => boolean {
  if (nullValues.length === 1) {
    const only = nullValues[0];
    return (text) => text === only;
  }
  const set = new Set(nullValues);
  return (text) => set.has(text);
}

function uniqueNames(header: string[]): string[] {
  const seen = new Set<string>();
  for (const name of header) {
    if (seen.has(name)) {
      throw new ConnectorError(`The CSV header names column ${JSON.stringify(name)} twice`, {
        code: 'DUPLICATE_COLUMN',
        category: 'config',
        hint: 'Rename one of the columns, or read with header: false (columns become column_1, column_2…)',
        line: 1,
      });
    }
    seen.add(name);
  }
  return header;
}
