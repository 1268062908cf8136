import { jsonText } from '../json-text.js';
import type { TextBytes } from '../text-bytes.js';

/** What JSON.stringify escapes in a string: quote, backslash, control characters; surrogates, lone ones escaped. */
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;

/**
 * Turns rows into JSON Lines, deterministically: one object a line, keys in column order, values as `jsonText` writes them (exact bigints, `-0`, base64 bytes, ISO dates).
 */
export class JsonLinesEncoder {
  private keys: readonly string[] = [];
  private keyTexts: string[] = [];

  /** JSON Lines has no header. */
  header(_columns: readonly string[]): string {
    return '';
  }

  /** Appends to `out` one line a row given as values (canonical rows): key `columns[i]` holds `row[positions[i]]`. */
  records(
    rows: readonly (readonly unknown[])[],
    columns: readonly string[],
    positions: readonly number[],
    out: TextBytes,
  ): void {
    const keyTexts = this.keyTextsFor(columns);
    for (const row of rows) {
      out.append('{');
      for (let i = 0; i < keyTexts.length; i++) {
        out.append(keyTexts[i]!);
        this.value(row[positions[i]!], out);
      }
      out.append('}\n');
    }
  }

  /** Appends one value's JSON; a string that needs no escape and an integer are written without a new string. */
  private value(value: unknown, out: TextBytes): void {
    if (typeof value === 'string' && !NEEDS_ESCAPE.test(value)) {
      out.append('"');
      out.append(value);
      out.append('"');
    } else if (typeof value === 'bigint') out.appendInteger(value);
    else out.append(jsonText(value));
  }

  /** `"name":` (with the separating comma after the first), computed once per column set. */
  private keyTextsFor(columns: readonly string[]): string[] {
    if (columns !== this.keys) {
      this.keys = columns;
      this.keyTexts = columns.map((name, i) => `${i > 0 ? ',' : ''}${JSON.stringify(name)}:`);
    }
    return this.keyTexts;
  }
}
