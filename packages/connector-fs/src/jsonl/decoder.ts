import { StringDecoder } from 'node:string_decoder';
import type { ColumnInfo, Row } from '@osiris/core';
import type { BadLineHandler } from '../bad-lines.js';
import { keysOf } from '../columns.js';
import type { RecordDecoder } from '../file-rows.js';
import { parseJson } from '../json-parse.js';
import { setOwn } from '../own-property.js';
import { nodeEncoding, type ReadSettings } from '../requests.js';

/**
 * Reads JSON Lines, streaming: one object a line (blank lines are passed over), integers beyond 2^53
 * as bigints. A line that is not a JSON object goes to `onBadLine`. Columns are the requested ones
 * (a missing key reads as null), else the keys of the first batch in the order found.
 */
export function jsonLinesDecoder(settings: ReadSettings, onBadLine: BadLineHandler): RecordDecoder {
  return {
    async *batches(chunks, onColumns) {
      const text = new StringDecoder(nodeEncoding(settings.encoding));
      const requested = settings.columns;
      let announced = false;
      const announce = (names: Iterable<string>) => {
        announced = true;
        onColumns([...names].map((name): ColumnInfo => ({ name })));
      };
      if (requested !== undefined) announce(requested);
      let lineNumber = 0;
      let batch: Row[] = [];
      const ready: Row[][] = [];

      const take = (line: string) => {
        lineNumber++;
        if (lineNumber <= settings.skip_rows || line.trim() === '') return;
        let value: unknown;
        try {
          value = parseJson(line);
        } catch (error) {
          onBadLine(lineNumber, (error as Error).message);
          return;
        }
        if (value === null || typeof value !== 'object' || Array.isArray(value)) {
          onBadLine(lineNumber, `Expected a JSON object, got ${line.slice(0, 40)}`);
          return;
        }
        batch.push(requested === undefined ? (value as Row) : pick(value as Row, requested));
        if (batch.length === settings.batchSize) {
          if (!announced) announce(keysOf(batch));
          ready.push(batch);
          batch = [];
        }
      };

      let rest = '';
      let first = true;
      for await (const chunk of chunks) {
        let decoded = rest + text.write(chunk);
        if (first && decoded.length > 0) {
          if (decoded.charCodeAt(0) === 0xfeff) decoded = decoded.slice(1);
          first = false;
        }
        let start = 0;
        for (let end = decoded.indexOf('\n'); end >= 0; end = decoded.indexOf('\n', start)) {
          take(decoded.slice(start, end));
          start = end + 1;
        }
        rest = decoded.slice(start);
        yield* ready.splice(0);
      }
      rest += text.end();
      if (rest !== '') take(rest);
      if (!announced) announce(keysOf(batch));
      yield* ready.splice(0);
      if (batch.length > 0) yield batch;
    },
  };
}

function pick(value: Row, columns: readonly string[]): Row {
  const row: Row = {};
  for (const name of columns) setOwn(row, name, Object.hasOwn(value, name) ? (value[name] ?? null) : null);
  return row;
}
