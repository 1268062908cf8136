import { type ColumnInfo, ConnectorError, type Row } from '@osiris/core';
import { type CsvError, Parser } from 'csv-parse';
import type { BadLineHandler } from '../bad-lines.js';
import type { RecordDecoder } from '../file-rows.js';
import { nodeEncoding, type ReadSettings } from '../requests.js';

/**
 * Reads CSV with csv-parse, streaming: every field is a string, or null when its text is one of
 * `null_values`. A record with the wrong number of fields (or a broken quote) goes to `onBadLine`.
 */
export function csvDecoder(settings: ReadSettings, onBadLine: BadLineHandler): RecordDecoder {
  return {
    async *batches(chunks, onColumns) {
      const parser = new Parser({
        delimiter: settings.delimiter,
        bom: true,
        encoding: nodeEncoding(settings.encoding),
        from_line: settings.skip_rows + 1,
        skip_records_with_error: settings.on_bad_lines !== 'error',
      });
      parser.on('error', () => {}); // read synchronously from `parser.errored` below
      parser.on('skip', (error: CsvError) => onBadLine(lineOf(error, parser), error.message));
      const isNull = nullTest(settings.null_values);
      let shape: { names: string[]; indices: number[] } | undefined;
      let batch: Row[] = [];
      const ready: Row[][] = [];

      const drain = () => {
        for (let record: string[] | null = parser.read(); record !== null; record = parser.read()) {
          if (shape === undefined) {
            const names = settings.header ? uniqueNames(record) : record.map((_, i) => `column_${i + 1}`);
            shape = selectColumns(names, settings.columns);
            onColumns(
              shape.names.map(
                (name) =>
                  ({ name, type: 'string', nullable: settings.null_values.length > 0 }) satisfies ColumnInfo,
              ),
            );
            if (settings.header) continue;
          }
          const row: Row = {};
          const { names, indices } = shape;
          for (let i = 0; i < indices.length; i++) {
            const text = record[indices[i]!]!;
            row[names[i]!] = isNull(text) ? null : text;
          }
          batch.push(row);
          if (batch.length === settings.batchSize) {
            ready.push(batch);
            batch = [];
          }
        }
      };

      for await (const chunk of chunks) {
        parser.write(chunk);
        drain();
        yield* ready.splice(0);
        if (parser.errored !== null) break;
      }
      const failure = parser.errored as CsvError | null;
      if (failure === null) {
        parser.end();
        drain();
        if (shape === undefined) onColumns([]);
      }
      yield* ready.splice(0);
      if (batch.length > 0) yield batch;
      // The rows before a bad line are delivered first: a reader sees how far the file was good.
      if (failure !== null) onBadLine(lineOf(failure, parser), failure.message);
    },
  };
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
