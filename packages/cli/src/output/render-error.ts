import { isAbsolute, relative } from 'node:path';
import type { Output } from './output.js';
import { createStyle, type Style } from './style.js';

/** The fields of a `ConnectorError` the CLI shows (duck-typed so `--help` need not load core). */
export interface ErrorFacts {
  message: string;
  code?: string;
  category?: string;
  hint?: string;
  reference?: string;
  file?: string;
  line?: number;
  column?: number;
}

/** `file:line:col`, relative to the working directory when the file lies under it. */
export function formatLocation(
  facts: Pick<ErrorFacts, 'file' | 'line' | 'column'>,
  cwd: string,
): string | undefined {
  if (facts.file === undefined) return undefined;
  const path = relativeToCwd(facts.file, cwd);
  return [path, facts.line, facts.column].filter((part) => part !== undefined).join(':');
}

export function relativeToCwd(path: string, cwd: string): string {
  if (!isAbsolute(path)) return path;
  const relativePath = relative(cwd, path);
  return relativePath.startsWith('..') || isAbsolute(relativePath) ? path : relativePath;
}

/** An error for a person: code and message, then where (file:line:col) and what to do (hint). */
export function renderError(facts: ErrorFacts, style: Style | boolean = false, cwd = process.cwd()): string {
  if (typeof style === 'boolean') return renderError(facts, createStyle(style), cwd);
  const lines = [`${style.red('✗')} ${style.bold(facts.code ?? 'ERROR')}: ${facts.message}`];
  const location = formatLocation(facts, cwd);
  if (location !== undefined) lines.push(`  at ${location}`);
  if (facts.hint) lines.push(`  ${style.yellow('hint:')} ${facts.hint}`);
  return lines.join('\n');
}

/** Prints an error: `{ "error": … }` on stdout with `--json`, else the rendered text on stderr. */
export function printError(facts: ErrorFacts, output: Output, cwd: string, json: unknown = facts): void {
  if (output.json) output.printJson({ error: json });
  else output.error(renderError(facts, output.errorStyle, cwd));
}
