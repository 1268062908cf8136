import type { Row } from '@osiris/core';
import { inheritedNames } from '../columns.js';
import { jsonText } from '../json-text.js';

/**
 * Turns rows into JSON Lines, deterministically: one object a line, keys in column order, a missing
 * key written as `null`, values as `jsonText` writes them (exact bigints, `-0`, base64 bytes, ISO dates).
 */
export class JsonLinesEncoder {
  private keys: readonly string[] = [];
  private keyTexts: string[] = [];
  private inherited: boolean[] = [];

  /** JSON Lines has no header. */
  header(_columns: readonly string[]): string {
    return '';
  }

  /** One line a row, taking `columns` in that order. */
  objects(rows: readonly Row[], columns: readonly string[]): string {
    const keyTexts = this.keyTextsFor(columns);
    const inherited = this.inherited;
    let out = '';
    for (const row of rows) {
      out += '{';
      for (let i = 0; i < columns.length; i++) {
        const name = columns[i]!;
        out += keyTexts[i]! + jsonText(inherited[i] && !Object.hasOwn(row, name) ? undefined : row[name]);
      }
      out += '}\n';
    }
    return out;
  }

  /** One line a row given as values in column order (canonical rows). */
  records(rows: readonly (readonly unknown[])[], columns: readonly string[]): string {
    const keyTexts = this.keyTextsFor(columns);
    let out = '';
    for (const row of rows) {
      out += '{';
      for (let i = 0; i < keyTexts.length; i++) out += keyTexts[i]! + jsonText(row[i]);
      out += '}\n';
    }
    return out;
  }

  /** `"name":` (with the separating comma after the first), computed once per column set. */
  private keyTextsFor(columns: readonly string[]): string[] {
    if (columns !== this.keys) {
      this.keys = columns;
      this.keyTexts = columns.map((name, i) => `${i > 0 ? ',' : ''}${JSON.stringify(name)}:`);
      this.inherited = inheritedNames(columns);
    }
    return this.keyTexts;
  }
}
