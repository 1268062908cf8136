/**
 * The size limits of a connections file, checked before the YAML is composed: a malformed or
 * hostile file is refused with `CONFIG_INVALID` in time linear in its size, never after minutes
 * of parsing or with a stack overflow.
 */
import { Lexer, LineCounter } from 'yaml';
import type { SourceLocation } from '../contract/resolver.js';
import { invalidConfig } from './config-invalid.js';

/** Limits a connections file must keep; far above any real file, low enough to stay fast. */
export const LIMITS = {
  /** Bytes of the whole file. */
  fileBytes: 2 * 1024 * 1024,
  /** Characters of one key or value. */
  valueChars: 64 * 1024,
  /** Anchors (`&name`) plus aliases (`*name`). */
  anchorsAndAliases: 1000,
  /** Levels of nesting (indentation, `-` items and `[`/`{` brackets together). */
  depth: 64,
  /** Characters of a line quoted in an error message. */
  quotedLineChars: 200,
} as const;

/** Tokens the lexer adds that are not text of the file. */
const SYNTHETIC = new Set(['\u0002', '\u0018', '\u001f']);

const MIB = 1024 * 1024;

/** `CONFIG_INVALID` when a file of `bytes` bytes is larger than a connections file may be. */
export function checkFileSize(bytes: number, file: string): void {
  if (bytes <= LIMITS.fileBytes) return;
  throw invalidConfig(
    { file, line: 1, column: 1 },
    `the file is ${(bytes / MIB).toFixed(1)} MiB; a connections file may be at most ${LIMITS.fileBytes / MIB} MiB`,
    'Check that this is the connections file; keep large data (certificates, key files) in files of their own and name their paths',
  );
}

/**
 * Checks `source` against the limits on anchors and aliases and on nesting depth in one pass of
 * the YAML lexer (which composes nothing and does not recurse), before the document is built.
 */
export function checkStructure(source: string, file: string): void {
  checkFileSize(Buffer.byteLength(source), file);
  const lines = new LineCounter();
  lines.addNewLine(0);
  for (let newline = source.indexOf('\n'); newline >= 0; newline = source.indexOf('\n', newline + 1)) {
    lines.addNewLine(newline + 1);
  }
  const at = (offset: number): SourceLocation => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col };
  };
  let offset = 0;
  let references = 0;
  let flowDepth = 0;
  let lineItems = 0;
  let atLineStart = true;
  const indents: number[] = [];
  const tooDeep = () =>
    invalidConfig(
      at(offset),
      `values nested more than ${LIMITS.depth} levels deep`,
      'A connection holds a few levels of keys; check the indentation',
    );
  for (const token of new Lexer().lex(source)) {
    if (SYNTHETIC.has(token)) continue;
    if (token === '\n' || token === '\r\n') {
      atLineStart = true;
      lineItems = 0;
    } else if (atLineStart) {
      atLineStart = false;
      const indent = /^ +$/.test(token) ? token.length : 0;
      while (indents.length > 0 && indents[indents.length - 1]! >= indent) indents.pop();
      indents.push(indent);
    }
    const first = token[0];
    if (first === '&' || first === '*') {
      references++;
      if (references > LIMITS.anchorsAndAliases) {
        throw invalidConfig(
          at(offset),
          `more than ${LIMITS.anchorsAndAliases} anchors and aliases`,
          'Anchors and aliases share settings between a few aliases; write repeated values out instead',
        );
      }
    } else if (token === '[' || token === '{') {
      flowDepth++;
    } else if (token === ']' || token === '}') {
      flowDepth = Math.max(0, flowDepth - 1);
    } else if (token === '-' || token === '?') {
      lineItems++;
    }
    if (indents.length + lineItems + flowDepth > LIMITS.depth) throw tooDeep();
    offset += token.length;
  }
}

/** A line of the file as an error quotes it: whole when short, otherwise not at all (a cut could split a secret). */
export function quotableLine(line: string, mask: (line: string) => string): string {
  if (line.length <= LIMITS.quotedLineChars) return mask(line);
  return `(a line of ${line.length.toLocaleString('en-US')} characters, not quoted)`;
}

/** `CONFIG_INVALID` at `location` when `text` (a key or value) is longer than a value may be. */
export function checkValueLength(text: string, location: SourceLocation): void {
  if (text.length <= LIMITS.valueChars) return;
  throw invalidConfig(
    location,
    `a value of ${text.length.toLocaleString('en-US')} characters; values may be at most ${LIMITS.valueChars.toLocaleString('en-US')}`,
    'Keep large data (certificates, key files) in files of their own and name their paths',
  );
}
