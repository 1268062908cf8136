/**
 * COPY's text format, both ways: one row a line, fields split by tabs, `\N` for NULL, and backslash escapes
 * for the backslash itself and the control characters that would break a line or a field.
 */

/** The character each `\x` escape COPY TO writes stands for (`\\` included); any other `\c` is c itself. */
const UNESCAPED: Record<number, string> = {
  98: '\b',
  102: '\f',
  110: '\n',
  114: '\r',
  116: '\t',
  118: '\v',
};

const LETTER_N = 0x4e;

/**
 * Walks decoded COPY TO text line by line, splitting each line into its fields. One scanner over the whole
 * chunk: native `indexOf` finds the tabs and newlines, and the next backslash is looked up once for the chunk
 * rather than once per field, so a field without one is a single `slice` and a field with one is resolved
 * by a scan from backslash to backslash (most rows hold none).
 */
export class CopyTextLines {
  #text = '';
  #at = 0;
  /** Where the next backslash at or after `#at` sits (the text's length when none is left). */
  #backslash = 0;

  /** Starts on `text`: whole lines, each ending with its newline. */
  reset(text: string): void {
    this.#text = text;
    this.#at = 0;
    this.#backslash = this.#nextBackslash(0);
  }

  /**
   * Splits the next line into `into` (its length becomes the line's field count; null for `\N`); false once
   * the text holds no further line.
   */
  next(into: Array<string | null>): boolean {
    const text = this.#text;
    const start = this.#at;
    const end = text.indexOf('\n', start);
    if (end === -1) return false;
    let column = 0;
    for (let from = start; ; ) {
      let stop = text.indexOf('\t', from);
      if (stop === -1 || stop > end) stop = end;
      if (this.#backslash >= stop) into[column++] = text.slice(from, stop);
      else if (stop - from === 2 && this.#backslash === from && text.charCodeAt(from + 1) === LETTER_N) {
        into[column++] = null;
        this.#backslash = this.#nextBackslash(stop);
      } else into[column++] = this.#unescape(from, stop);
      if (stop === end) break;
      from = stop + 1;
    }
    if (into.length !== column) into.length = column;
    this.#at = end + 1;
    return true;
  }

  /** The field `[from, stop)`, which holds a backslash at `#backslash`, with its escapes resolved. */
  #unescape(from: number, stop: number): string {
    const text = this.#text;
    let out = '';
    let piece = from;
    let at = this.#backslash;
    while (at < stop) {
      const code = text.charCodeAt(at + 1);
      out += text.slice(piece, at) + (UNESCAPED[code] ?? String.fromCharCode(code));
      piece = at + 2;
      at = this.#nextBackslash(piece);
    }
    this.#backslash = at;
    return out + text.slice(piece, stop);
  }

  #nextBackslash(from: number): number {
    const at = this.#text.indexOf('\\', from);
    return at === -1 ? this.#text.length : at;
  }
}

/** The characters a COPY FROM field escapes, and their escapes. */
const ESCAPED = /[\\\t\n\r]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A field for COPY FROM's text format: the characters that end a field or a line, and the backslash, escaped. */
export function escapeField(text: string): string {
  // From one match to the next (a native search), slices between them: about twice as fast as four replaceAll
  // passes or a replace callback, and than a charCodeAt loop.
  let out = '';
  let piece = 0;
  ESCAPED.lastIndex = 0;
  for (let match = ESCAPED.exec(text); match !== null; match = ESCAPED.exec(text)) {
    out += text.slice(piece, match.index) + ESCAPES[match[0]];
    piece = match.index + 1;
  }
  return piece === 0 ? text : out + text.slice(piece);
}

/** COPY text's NULL. */
export const NULL_FIELD = '\\N';
