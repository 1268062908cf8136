import { StringDecoder } from 'node:string_decoder';
import { type CanonicalValue, ConnectorError, type PositionalBatch } from '@osiris/core';
import type { BadLineHandler } from '../bad-lines.js';
import type { RecordDecoder } from '../file-rows.js';
import { columnsMismatch, type ReadPlan, type ReadTyping, readPlan, readValues } from '../read-plan.js';
import { nodeEncoding, type ReadSettings } from '../requests.js';
import { CsvScanner } from './scanner.js';

/**
 * Reads CSV, streaming, with the connector's own scanner (scanner.ts: the dialect the encoder writes). An
 * unquoted field whose text is one of the null texts (by default the empty field) is null; a quoted one is
 * always text, so `""` reads as `''`. With a descriptor or declared types, fields are parsed to canonical
 * values (`fromText`); otherwise they stay strings (columns of `{ kind: 'string' }`). A record with the wrong
 * number of fields, a syntax problem, or a field its type refuses goes to `onBadLine`. Batches are positional:
 * the scanner's field arrays themselves, converted where they lie when every column is returned in file order.
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
      let width = 0;
      let batch: PositionalBatch = [];
      const ready: PositionalBatch[] = [];

      const take = (record: Array<string | null>, line: number) => {
        if (plan === undefined) {
          const names = settings.header
            ? uniqueNames(record.map((name) => name ?? ''))
            : (described ?? record.map((_, i) => `column_${i + 1}`));
          if (typing.descriptor !== undefined) {
            const found = settings.header ? names : record.map((_, i) => names[i] ?? `column_${i + 1}`);
            if (found.length !== described!.length || found.some((name, i) => name !== described![i])) {
              throw columnsMismatch(typing.descriptor, settings.path, line, found);
            }
          }
          width = record.length;
          plan = readPlan(names, typing, true, (name) => ({
            name,
            type: { kind: 'string' },
            nullable: nullTexts.length > 0,
          }));
          onColumns(plan.columns, true);
          if (settings.header) return;
        }
        if (record.length !== width) {
          onBadLine(
            line,
            `the record has ${record.length} fields where the first has ${width} (expect ${width}, got ${record.length})`,
          );
          return;
        }
        let row = record as CanonicalValue[];
        if (plan.typed || !plan.inPlace) {
          if (!plan.inPlace) row = new Array(plan.indices.length);
          const problem = readValues(plan, record, row);
          if (problem !== undefined) {
            onBadLine(line, problem);
            return;
          }
        }
        batch.push(row);
        if (batch.length === settings.batchSize) {
          ready.push(batch);
          batch = [];
        }
      };
      const scanner = new CsvScanner(settings.delimiter, nullTexts, settings.skip_rows, take, (problem) =>
        onBadLine(problem.line, problem.message, problem.column),
      );
      const text = new StringDecoder(nodeEncoding(settings.encoding));
      // What `take` or the bad-line handler threw: the rows before it are delivered first, so that a reader
      // sees how far the file was good.
      let failure: { error: unknown } | undefined;
      try {
        for await (const chunk of chunks) {
          scanner.scan(text.write(chunk), false);
          yield* ready.splice(0);
        }
        scanner.scan(text.end(), true);
        if (plan === undefined) onColumns([], true);
      } catch (error) {
        failure = { error };
      }
      yield* ready.splice(0);
      if (batch.length > 0) yield batch;
      if (failure !== undefined) throw failure.error;
    },
  };
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
