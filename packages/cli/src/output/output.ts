import type { Io } from '../io.js';
import { createStyle, type Style, wantsColor } from './style.js';

/** Where a command prints. Every line passes through `scrub` (secret redaction once core is loaded). */
export interface Output {
  /** Whether `--json` was given: print one JSON document on stdout and nothing else there. */
  readonly json: boolean;
  /** Decorations for stdout. */
  readonly style: Style;
  /** Decorations for stderr (which may be a terminal when stdout is not). */
  readonly errorStyle: Style;
  /** Prints text and a newline on stdout. */
  print(text: string): void;
  /** Prints a JSON document on stdout. */
  printJson(value: unknown): void;
  /** Prints text and a newline on stderr. */
  error(text: string): void;
}

export interface OutputOptions {
  json: boolean;
  noColor: boolean;
  /** Applied to every string before it is written. */
  scrub?: (text: string) => string;
}

export function createOutput(io: Io, { json, noColor, scrub = (text) => text }: OutputOptions): Output {
  return {
    json,
    style: createStyle(!json && wantsColor(io.stdout, io.env, noColor)),
    errorStyle: createStyle(wantsColor(io.stderr, io.env, noColor)),
    print: (text) => io.stdout.write(`${scrub(text)}\n`),
    printJson: (value) => io.stdout.write(`${scrub(JSON.stringify(value, null, 2))}\n`),
    error: (text) => io.stderr.write(`${scrub(text)}\n`),
  };
}
