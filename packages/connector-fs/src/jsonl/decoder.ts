import { StringDecoder } from 'node:string_decoder';
import { type CanonicalValue, type ColumnInfo, keysOf, type Row } from '@osiris/core';
import type { BadLineHandler } from '../bad-lines.js';
import type { DecodedBatch, RecordDecoder } from '../file-rows.js';
import { parseJson } from '../json-parse.js';
import { type ReadTyping, readPlan, readValues } from '../read-plan.js';
import { nodeEncoding, type ReadSettings } from '../requests.js';

/**
 * Reads JSON Lines, streaming: one object a line (blank lines are passed over), integers beyond 2^53
 * as bigints. A line that is not a JSON object goes to `onBadLine`. Columns are the descriptor's (a
 * line missing one of them, or holding another key, goes to `onBadLine`), the requested ones (a missing
 * key reads as null), else the keys of the first batch in the order found. Typed columns (descriptor or
 * declared) are brought to canonical values: base64 text to bytes, `"NaN"` to NaN, numbers to bigints…
 * With fixed columns (descriptor or requested) batches are positional; with none, each line's own object.
 */
export function jsonLinesDecoder(
  settings: ReadSettings,
  onBadLine: BadLineHandler,
  typing: ReadTyping,
): RecordDecoder {
  return {
    async *batches(chunks, onColumns) {
      const text = new StringDecoder(nodeEncoding(settings.encoding));
      const described = typing.descriptor?.columns.map((column) => column.name);
      const describedSet = new Set(described);
      const untyped = (name: string): ColumnInfo => ({ name });
      const fixed = described ?? typing.requested;
      const plan = fixed === undefined ? undefined : readPlan(fixed, typing, false, untyped);
      let announced = false;
      const announce = (columns: readonly ColumnInfo[]) => {
        announced = true;
        onColumns(columns, plan !== undefined);
      };
      if (plan !== undefined) announce(plan.columns);
      let lineNumber = 0;
      let batch: DecodedBatch = [];
      const ready: DecodedBatch[] = [];

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
        const object = value as Row;
        if (plan === undefined) {
          (batch as Row[]).push(object);
        } else {
          if (described !== undefined) {
            const problem = keysProblem(object, described, describedSet, typing.descriptor!.path);
            if (problem !== undefined) {
              onBadLine(lineNumber, problem);
              return;
            }
          }
          const fields = fixed!.map((name) => (Object.hasOwn(object, name) ? object[name] : null));
          const row = plan.inPlace
            ? (fields as CanonicalValue[])
            : new Array<CanonicalValue>(plan.names.length);
          const problem = readValues(plan, fields, row);
          if (problem !== undefined) {
            onBadLine(lineNumber, problem);
            return;
          }
          (batch as CanonicalValue[][]).push(row);
        }
        if (batch.length === settings.batchSize) {
          if (!announced) announce(keysOf(batch as Row[]).map(untyped));
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
      if (!announced) announce(keysOf(batch as Row[]).map(untyped));
      yield* ready.splice(0);
      if (batch.length > 0) yield batch;
    },
  };
}

/** Why a line's keys are not the descriptor's columns, or undefined when they are. */
function keysProblem(
  object: Row,
  columns: readonly string[],
  known: ReadonlySet<string>,
  descriptor: string,
): string | undefined {
  let count = 0;
  for (const key in object) {
    count++;
    if (!known.has(key)) return `key ${JSON.stringify(key)} is not a column of ${descriptor}`;
  }
  if (count === columns.length) return undefined;
  const missing = columns.find((name) => !Object.hasOwn(object, name));
  return `column ${JSON.stringify(missing)} of ${descriptor} is missing from the line`;
}
