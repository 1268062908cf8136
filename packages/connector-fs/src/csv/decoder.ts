import { type ColumnInfo, ConnectorError, type Row } from '@osiris/core';
import { type CsvError, type Options, Parser } from 'csv-parse';
import type { BadLineHandler } from '../bad-lines.js';
import type { RecordDecoder } from '../file-rows.js';
import { setOwn } from '../own-property.js';
import { nodeEncoding, type ReadSettings } from '../requests.js';

/**
 * Reads CSV with csv-parse, streaming: every field is a string, or null when its text is one of
 * `null_values`. A record with the wrong number of fields (or a broken quote) goes to `onBadLine`.
 */
export function csvDecoder(settings: ReadSettings, onBadLine: BadLineHandler): RecordDecoder {
  return {
    async *batches(chunks, onColumns) {
      const isNull = nullTest(settings.null_values);
      let shape: { names: string[]; indices: number[]; protoKey: boolean } | undefined;
      let batch: Row[] = [];
      const ready: Row[][] = [];

      const take = (record: string[]) => {
        if (shape === undefined) {
          const names = settings.header ? uniqueNames(record) : record.map((_, i) => `column_${i + 1}`);
          shape = { ...selectColumns(names, settings.columns), protoKey: names.includes('__proto__') };
          const nullable = settings.null_values.length > 0;
          onColumns(shape.names.map((name): ColumnInfo => ({ name, type: { kind: 'string' }, nullable })));
          if (settings.header) return;
        }
        const row: Row = {};
        const { names, indices, protoKey } = shape;
        for (let i = 0; i < indices.length; i++) {
          const text = record[indices[i]!]!;
          if (protoKey) setOwn(row, names[i]!, isNull(text) ? null : text);
          else row[names[i]!] = isNull(text) ? null : text;
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
      );
      parser.on('error', () => {}); // read synchronously from `parser.errored` below
      parser.on('skip', (error: CsvError) => onBadLine(lineOf(error, parser), error.message));

      for await (const chunk of chunks) {
        parser.write(chunk);
        yield* ready.splice(0);
        if (parser.errored !== null) break;
      }
      const failure = parser.errored as CsvError | null;
      if (failure === null) {
        parser.end();
        if (shape === undefined) onColumns([]);
      }
      yield* ready.splice(0);
      if (batch.length > 0) yield batch;
      // The rows before a bad line are delivered first: a reader sees how far the file was good.
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
  constructor(
    options: Options,
    private readonly onRecord: (record: string[]) => void,
  ) {
    super(options);
  }

  override push(record: unknown, encoding?: BufferEncoding): boolean {
    if (record === null) return super.push(null, encoding);
    this.onRecord(record as string[]);
    return true;
  }
}

function lineOf(error: CsvError, parser: Parser): number {
  return typeof error.lines === 'number' ? error.lines : parser.info.lines;
}

function nullTest(nullValues: readonly string[]): (text: string) => boolean {
  if (nullValues.length === 0) return () => false;
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

/** Which of the file's columns a read returns, and where each sits: all, or the requested subset in its order. */
export function selectColumns(
  available: readonly string[],
  requested: readonly string[] | undefined,
): { names: string[]; indices: number[] } {
  if (requested === undefined) return { names: [...available], indices: available.map((_, i) => i) };
  const indices = requested.map((name) => {
    const index = available.indexOf(name);
    if (index < 0) {
      throw new ConnectorError(
        `Column ${JSON.stringify(name)} is not in the file (it has ${available.join(', ')})`,
        {
          code: 'COLUMN_NOT_FOUND',
          category: 'not_found',
          hint: 'Request only columns the file has; names are case-sensitive',
        },
      );
    }
    return index;
  });
  return { names: [...requested], indices };
}
