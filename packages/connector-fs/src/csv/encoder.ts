import { numberText } from '@osiris/core';
import { invalidRequest } from '../fs-errors.js';
import { bytesText, jsonText, unsupportedValue } from '../json-text.js';
import type { TextBytes } from '../text-bytes.js';
import { compileDateFormat, type DateFormatter } from './date-format.js';

/** When a field is put in double quotes. */
export type Quoting = 'minimal' | 'all' | 'nonnumeric';

/** How values become CSV text; the names are those of the connection config. */
export interface CsvFormatOptions {
  /** One character between fields (default `,`). */
  delimiter?: string;
  /** Record terminator: `lf` (default) or `crlf`. */
  newline?: 'lf' | 'crlf';
  /**
   * `minimal` (default): quote a field only when it holds the delimiter, a quote, CR or LF, starts or
   * ends with a space or tab, is empty, or equals `null_value`; `all`: quote every non-null field;
   * `nonnumeric`: quote every non-null field that is not a number or bigint.
   */
  quoting?: Quoting;
  /** strftime-like pattern for `Date` values; unset, ISO 8601 in UTC with milliseconds (`Date.toISOString`). */
  date_format?: string;
  /** IANA zone dates are shown in (`Europe/Prague`); UTC when unset. */
  timezone?: string;
  /** Text of null and undefined (default empty); never quoted. */
  null_value?: string;
}

/**
 * Turns values into RFC 4180 CSV text, deterministically: the same values give the same bytes.
 *
 * - strings as they are, quoted as `quoting` says (inner quotes doubled);
 * - numbers in JavaScript's shortest round-trip form (`1e+21`, `0.1`, `-0`), and `NaN`, `Infinity`,
 *   `-Infinity` as those words; bigints as their exact digits;
 * - booleans `true`/`false`; dates as ISO 8601 with milliseconds (`2024-01-31T12:00:00.250Z`), or by
 *   `date_format` in UTC (or `timezone`); an invalid date as null;
 * - bytes as base64; arrays and objects as JSON (see `jsonText`);
 * - null and undefined as `null_value`, unquoted, so that they differ from an empty string (`""`).
 */
export class CsvEncoder {
  private readonly delimiter: string;
  private readonly newline: string;
  private readonly nullText: string;
  private readonly quoteStrings: boolean;
  private readonly quoteNumbers: boolean;
  /** True when the delimiter could appear in a number's text (`.`, `-`, digits…). */
  private readonly checkNumbers: boolean;
  /** True when a number's text is written as it is (neither quoted nor checked against the delimiter). */
  private readonly bareNumbers: boolean;
  private readonly special: RegExp;
  private readonly formatDate: DateFormatter;

  constructor(options: CsvFormatOptions = {}) {
    const { delimiter = ',', quoting = 'minimal', null_value: nullText = '' } = options;
    if (delimiter.length !== 1 || /["\r\n]/.test(delimiter)) {
      throw invalidRequest(
        `Invalid CSV delimiter ${JSON.stringify(delimiter)}`,
        'Use one character other than a double quote, CR or LF, e.g. "," ";" "\\t" "|"',
      );
    }
    if (nullText.includes(delimiter) || /["\r\n]/.test(nullText)) {
      throw invalidRequest(
        `null_value ${JSON.stringify(nullText)} would need quotes`,
        'Pick a null_value without the delimiter, quotes or line breaks, e.g. "" or "\\N"',
      );
    }
    this.delimiter = delimiter;
    this.newline = options.newline === 'crlf' ? '\r\n' : '\n';
    this.nullText = nullText;
    this.quoteStrings = quoting !== 'minimal';
    this.quoteNumbers = quoting === 'all';
    this.checkNumbers = /[\w.+-]/.test(delimiter);
    this.bareNumbers = !this.quoteNumbers && !this.checkNumbers;
    this.special = new RegExp(`["\\r\\n${delimiter.replace(/[\\\]^-]/g, '\\$&')}]|^[ \\t]|[ \\t]$`);
    this.formatDate =
      options.date_format === undefined
        ? (date) => date.toISOString()
        : compileDateFormat(options.date_format, options.timezone);
  }

  /** One field's text, quoted as needed. */
  field(value: unknown): string {
    switch (typeof value) {
      case 'string':
        return this.quoteStrings ? quote(value) : this.minimal(value);
      case 'number':
        return this.number(numberText(value));
      case 'bigint':
        return this.number(`${value}`);
      case 'boolean':
        return this.text(value ? 'true' : 'false');
      case 'undefined':
        return this.nullText;
      case 'object':
        if (value === null) return this.nullText;
        if (value instanceof Date) {
          return Number.isNaN(value.getTime()) ? this.nullText : this.text(this.formatDate(value));
        }
        return this.text(value instanceof Uint8Array ? bytesText(value) : jsonText(value));
      default:
        throw unsupportedValue(value);
    }
  }

  /** The header record for these column names. */
  header(names: readonly string[]): string {
    return this.record(names);
  }

  /** One record from values in column order, newline included. */
  record(values: readonly unknown[]): string {
    let out = '';
    for (let i = 0; i < values.length; i++) {
      if (i > 0) out += this.delimiter;
      out += this.field(values[i]);
    }
    return out + this.newline;
  }

  /** Appends to `out` the records of rows given as arrays of values (canonical rows): field `i` is `row[positions[i]]`. */
  records(
    rows: readonly (readonly unknown[])[],
    _columns: readonly string[],
    positions: readonly number[],
    out: TextBytes,
  ): void {
    const width = positions.length;
    for (let r = 0; r < rows.length; r++) {
      const values = rows[r]!;
      for (let i = 0; i < width; i++) {
        if (i > 0) out.append(this.delimiter);
        const value = values[positions[i]!];
        // An integer's digits need no quotes unless the quoting or the delimiter says so: no string is made.
        if (typeof value === 'bigint' && this.bareNumbers) out.appendInteger(value);
        else out.append(this.field(value));
      }
      out.append(this.newline);
    }
  }

  private number(text: string): string {
    if (this.quoteNumbers) return `"${text}"`;
    return this.checkNumbers ? this.minimal(text) : text;
  }

  private text(text: string): string {
    return this.quoteStrings ? quote(text) : this.minimal(text);
  }

  private minimal(text: string): string {
    if (text === this.nullText || text === '' || this.special.test(text)) return quote(text);
    return text;
  }
}

function quote(text: string): string {
  return `"${text.includes('"') ? text.replaceAll('"', '""') : text}"`;
}
