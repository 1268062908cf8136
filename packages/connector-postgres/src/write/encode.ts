/**
 * Canonical values (rowConverter's positional rows) into COPY text lines, with the checks for what a
 * PostgreSQL column cannot hold although the logical type allows it: NUL and unpaired surrogates in text,
 * and times past 24:00:00 in a `time` column.
 * A refused value stops the batch before any of it is sent.
 */
import { type CanonicalValue, numberText, ValueProblem, valueRejected } from '@osiris/core';
import type { PostgresColumn } from '../catalog.js';
import { escapeField, NULL_FIELD } from '../copy-text.js';

/** Turns one canonical value into its COPY text field, or throws a `ValueProblem`. */
type FieldEncoder = (value: NonNullable<CanonicalValue>) => string;

/** Anything in text that needs a second look: NUL, a surrogate (maybe unpaired), or a character COPY escapes. */
const NEEDS_LOOK = /[\u0000\uD800-\uDFFF\\\n\r\t]/;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function text(value: NonNullable<CanonicalValue>): string {
  const string = value as string;
  // One native scan for the common case (three times faster than a charCodeAt loop): plain text goes out as it is.
  if (!NEEDS_LOOK.test(string)) return string;
  if (string.includes('\u0000')) {
    throw new ValueProblem('VALUE_INVALID', 'holds a NUL character, which PostgreSQL text cannot store');
  }
  if (LONE_SURROGATE.test(string)) {
    throw new ValueProblem('VALUE_INVALID', 'holds an unpaired UTF-16 surrogate, which is not Unicode text');
  }
  return escapeField(string);
}

/** ISO 8601's year 0000 is the server's 1 BC (it has no year 0), which it reads as `0001-… BC`. */
function calendar(value: NonNullable<CanonicalValue>): string {
  const text = value as string;
  return text.startsWith('0000') ? `0001${text.slice(4)} BC` : text;
}

/** `time` holds 00:00:00 to 24:00:00; a longer or negative duration needs an interval column. */
function timeOfDay(value: NonNullable<CanonicalValue>): string {
  const time = value as string;
  const hours = Number(time.slice(0, time.indexOf(':')));
  if (time.startsWith('-') || hours > 24 || (hours === 24 && /[1-9]/.test(time.slice(3)))) {
    throw new ValueProblem(
      'VALUE_OUT_OF_RANGE',
      'is outside 00:00:00-24:00:00, which a time column holds (an interval column holds it)',
    );
  }
  return time;
}

function encoderFor(column: PostgresColumn): FieldEncoder {
  switch (column.type.kind) {
    case 'integer':
      return (value) => String(value);
    case 'float':
      // numberText keeps -0; NaN, Infinity and -Infinity are spelled as the server reads them.
      return (value) => numberText(value as number);
    case 'boolean':
      return (value) => (value ? 't' : 'f');
    case 'bytes':
      return (value) => `\\\\x${Buffer.from(value as Uint8Array).toString('hex')}`;
    case 'date':
    case 'datetime':
    case 'timestamp':
      return calendar;
    case 'time':
      return column.nativeType.startsWith('time') ? timeOfDay : text;
    case 'decimal':
      return (value) => value as string;
    default:
      return text;
  }
}

/** Encodes whole batches into COPY text for these columns; `sink` names the table in errors. */
export function copyEncoder(columns: readonly PostgresColumn[], sink: string) {
  const encoders = columns.map(encoderFor);
  const width = columns.length;
  return (rows: readonly CanonicalValue[][], rowsBefore: number): string => {
    let out = '';
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r] as CanonicalValue[];
      for (let c = 0; c < width; c++) {
        const value = row[c];
        if (c > 0) out += '\t';
        if (value === null || value === undefined) {
          out += NULL_FIELD;
          continue;
        }
        try {
          out += (encoders[c] as FieldEncoder)(value);
        } catch (error) {
          if (!(error instanceof ValueProblem)) throw error;
          const column = columns[c] as PostgresColumn;
          throw valueRejected(
            error,
            {
              column: column.name,
              row: rowsBefore + r + 1,
              type: column.type,
              nativeType: column.nativeType,
            },
            sink,
          );
        }
      }
      out += '\n';
    }
    return out;
  };
}
