/**
 * The CSV syntax of connector-fs's dialect, scanned from decoded text: fields separated by one delimiter
 * character, records ended by LF or CRLF (a CR before the end of the input also ends the last record), a
 * field in double quotes when it starts with one (a doubled quote inside is one quote; delimiters, CR and LF
 * inside are data). An unquoted field whose text is a null text is null; a quoted field is always text, so
 * `""` is `''`. A byte-order mark opening the input is dropped. A quote inside an unquoted field, text after
 * a closing quote and a quote never closed are syntax problems at their line and column; scanning then goes
 * on at the next line (after an unclosed quote there is none).
 *
 * Speed: a line holding no quote (the common case) is split with `indexOf` alone, each field a `slice` of the
 * text; only lines with a quote are walked character by character.
 */

/** A syntax problem: where it is (1-based, the column in UTF-16 units) and what it is, naming no value. */
export interface ScanProblem {
  /** Line of the offending character. */
  line: number;
  /** Column of the offending character. */
  column: number;
  /** What is wrong. */
  message: string;
}

/** Receives each record: its fields, and the line it starts on. */
export type RecordSink = (fields: Array<string | null>, line: number) => void;

/** Receives each syntax problem; it may throw, which ends the scan. */
export type ProblemSink = (problem: ScanProblem) => void;

const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;
/** A record longer than this that is still incomplete is scanned again only once the text has doubled. */
const RESCAN_FLOOR = 1 << 16;
/** What `scanRecord` returns for a record that needs more text. */
const INCOMPLETE = -1;

/** Scans CSV text fed in pieces (see the file's opening comment). */
export class CsvScanner {
  /** Line the next record starts on. */
  private line = 1;
  /** Text not scanned yet: an incomplete record (or skipped line) from the last piece. */
  private rest = '';
  /** Length `rest` must reach before an incomplete long record is scanned again (keeps long fields linear). */
  private rescanAt = 0;
  private started = false;
  private readonly delimiterCode: number;
  /** Whether an empty unquoted field is null and no other text is (the default null text). */
  private readonly emptyIsNull: boolean;
  /** The null texts besides that case; undefined when there are none to look up. */
  private readonly nullSet: ReadonlySet<string> | undefined;

  constructor(
    private readonly delimiter: string,
    nullTexts: readonly string[],
    /** Lines skipped before the first record. */
    private skipLines: number,
    private readonly onRecord: RecordSink,
    private readonly onProblem: ProblemSink,
  ) {
    this.delimiterCode = delimiter.charCodeAt(0);
    this.emptyIsNull = nullTexts.length === 1 && nullTexts[0] === '';
    this.nullSet = this.emptyIsNull || nullTexts.length === 0 ? undefined : new Set(nullTexts);
  }

  /** Scans the next piece of text; `final` says it is the last (the records it ends are then complete). */
  scan(piece: string, final: boolean): void {
    let text = this.rest + piece;
    this.rest = '';
    if (!this.started) {
      if (text.length === 0 && !final) return;
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (!final && text.length < this.rescanAt) {
      this.rest = text;
      return;
    }
    this.rescanAt = 0;
    const done = this.scanText(text, final);
    if (done < text.length) {
      this.rest = text.slice(done);
      if (this.rest.length > RESCAN_FLOOR) this.rescanAt = this.rest.length * 2;
    }
  }

  /** Scans records from the start of `text`; returns how far it got (the start of an incomplete record). */
  private scanText(text: string, final: boolean): number {
    const length = text.length;
    let at = 0;
    while (this.skipLines > 0 && at < length) {
      const end = text.indexOf('\n', at);
      if (end === -1) return final ? length : at;
      this.skipLines -= 1;
      this.line += 1;
      at = end + 1;
    }
    const delimiter = this.delimiter;
    // The next quote and delimiter at or after `at` (-1: none left): found once, used by every line before them.
    let quote = text.indexOf('"', at);
    let comma = text.indexOf(delimiter, at);
    while (at < length) {
      let end = text.indexOf('\n', at);
      if (end === -1) {
        if (!final) return at;
        end = length;
      }
      if (quote !== -1 && quote < at) quote = text.indexOf('"', at);
      if (quote !== -1 && quote < end) {
        const next = this.scanRecord(text, at, final);
        if (next === INCOMPLETE) return at;
        at = next;
        continue;
      }
      const stop = end > at && text.charCodeAt(end - 1) === CR ? end - 1 : end;
      const fields: Array<string | null> = [];
      let from = at;
      for (;;) {
        if (comma !== -1 && comma < from) comma = text.indexOf(delimiter, from);
        if (comma === -1 || comma >= stop) {
          fields.push(this.unquoted(text, from, stop));
          break;
        }
        fields.push(this.unquoted(text, from, comma));
        from = comma + 1;
      }
      this.onRecord(fields, this.line);
      this.line += 1;
      at = end + 1;
    }
    return length;
  }

  /** The value of an unquoted field: null for a null text, else its text. */
  private unquoted(text: string, from: number, to: number): string | null {
    if (this.emptyIsNull) return from === to ? null : text.slice(from, to);
    const field = text.slice(from, to);
    return this.nullSet?.has(field) ? null : field;
  }

  /**
   * Scans one record with a quote in it, character by character, from `start`; returns where the next record
   * starts, or INCOMPLETE when the text ends before this one does (and it is not the last piece).
   */
  private scanRecord(text: string, start: number, final: boolean): number {
    const length = text.length;
    const delimiter = this.delimiterCode;
    const fields: Array<string | null> = [];
    let at = start;
    for (;;) {
      if (text.charCodeAt(at) === QUOTE) {
        let value = '';
        let from = at + 1;
        for (;;) {
          const close = text.indexOf('"', from);
          if (close === -1 || (close + 1 === length && !final)) {
            if (!final) return INCOMPLETE;
            return this.problem(text, start, at, 'a quote opens a field and is never closed', length);
          }
          if (text.charCodeAt(close + 1) === QUOTE) {
            value += text.slice(from, close + 1);
            from = close + 2;
            continue;
          }
          value += text.slice(from, close);
          at = close + 1;
          break;
        }
        fields.push(value);
        const next = text.charCodeAt(at);
        if (next === delimiter) {
          at += 1;
          continue;
        }
        const ends = recordEnd(text, at, final);
        if (ends === INCOMPLETE) return INCOMPLETE;
        if (ends !== undefined) return this.record(fields, text, start, ends);
        return this.problem(
          text,
          start,
          at,
          'a closing quote is followed by text other than a delimiter or line end',
        );
      }
      let end = at;
      for (; end < length; end++) {
        const code = text.charCodeAt(end);
        if (code === delimiter || code === LF) break;
        if (code === QUOTE)
          return this.problem(text, start, end, 'a quote inside an unquoted field (quote the whole field)');
      }
      if (end === length && !final) return INCOMPLETE;
      const stop =
        end > at && text.charCodeAt(end - 1) === CR && (end === length || text.charCodeAt(end) === LF)
          ? end - 1
          : end;
      fields.push(this.unquoted(text, at, stop));
      if (end < length && text.charCodeAt(end) === delimiter) {
        at = end + 1;
        continue;
      }
      return this.record(fields, text, start, Math.min(end + 1, length));
    }
  }

  /** Hands on a record that spans `start`…`next`, counting the lines it covers; returns `next`. */
  private record(fields: Array<string | null>, text: string, start: number, next: number): number {
    this.onRecord(fields, this.line);
    this.line += linesIn(text, start, next);
    return next;
  }

  /**
   * Reports a problem at `at` in the record starting at `start`, then goes on at the line after the problem
   * (or the end of the text, `resume` when given); returns where scanning goes on.
   */
  private problem(text: string, start: number, at: number, message: string, resume?: number): number {
    let line = this.line;
    let lineStart = start;
    for (let lf = text.indexOf('\n', start); lf !== -1 && lf < at; lf = text.indexOf('\n', lf + 1)) {
      line += 1;
      lineStart = lf + 1;
    }
    const lf = text.indexOf('\n', at);
    const next = resume ?? (lf === -1 ? text.length : lf + 1);
    this.line += linesIn(text, start, next);
    this.onProblem({ line, column: at - lineStart + 1, message });
    return next;
  }
}

/**
 * Where the next record starts when a record ends at `at` (after a closing quote): past LF or CRLF, or the
 * end of the text when it is the last piece; INCOMPLETE when the text ends too soon to tell; undefined
 * when something else follows.
 */
function recordEnd(text: string, at: number, final: boolean): number | undefined {
  const length = text.length;
  if (at === length) return final ? length : INCOMPLETE;
  const code = text.charCodeAt(at);
  if (code === LF) return at + 1;
  if (code !== CR) return undefined;
  if (at + 1 === length) return final ? length : INCOMPLETE;
  return text.charCodeAt(at + 1) === LF ? at + 2 : undefined;
}

/** The number of LFs in `text` from `from` up to `to`. */
function linesIn(text: string, from: number, to: number): number {
  let count = 0;
  for (let lf = text.indexOf('\n', from); lf !== -1 && lf < to; lf = text.indexOf('\n', lf + 1)) count++;
  return count;
}
