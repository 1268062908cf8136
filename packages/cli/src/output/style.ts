import type { OutputStream } from '../io.js';

/** Text decorations; every function is the identity when colour is off. */
export interface Style {
  /** Whether ANSI colours are emitted. */
  readonly color: boolean;
  green(text: string): string;
  red(text: string): string;
  yellow(text: string): string;
  dim(text: string): string;
  bold(text: string): string;
}

const ansi = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;
const plain = (text: string) => text;

/**
 * Colour only on a terminal, and never with `--no-color` or a non-empty `NO_COLOR`
 * (https://no-color.org). A non-empty `FORCE_COLOR` other than `0` turns it on off a terminal.
 */
export function wantsColor(stream: OutputStream, env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  if (noColorFlag || (env.NO_COLOR ?? '') !== '') return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined && force !== '') return force !== '0' && force !== 'false';
  return stream.isTTY === true && env.TERM !== 'dumb';
}

export function createStyle(color: boolean): Style {
  if (!color) return { color, green: plain, red: plain, yellow: plain, dim: plain, bold: plain };
  return {
    color,
    green: ansi(32, 39),
    red: ansi(31, 39),
    yellow: ansi(33, 39),
    dim: ansi(2, 22),
    bold: ansi(1, 22),
  };
}

const ANSI_SEQUENCE = /\u001b\[[0-9;]*m/g;

/** Columns a string takes on a terminal, ignoring colour codes (and treating every code point as one column). */
export function visibleWidth(text: string): number {
  return [...text.replace(ANSI_SEQUENCE, '')].length;
}
