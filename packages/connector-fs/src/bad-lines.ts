import { ConnectorError } from '@osiris/core';
import type { BadLine } from './requests.js';

/** What a reader does with a line it cannot use (`column`: where a syntax problem is): throws, or returns to go on without it. */
export type BadLineHandler = (line: number, message: string, column?: number) => void;

/** The handler for `on_bad_lines`: `error` throws `BAD_LINE`, `skip` drops the line, `warn` reports and drops it. */
export function badLineHandler(
  policy: 'error' | 'skip' | 'warn',
  path: string,
  onWarning?: (badLine: BadLine) => void,
): BadLineHandler {
  if (policy === 'skip') return () => {};
  if (policy === 'warn') {
    return (line, message, column) => {
      if (onWarning)
        onWarning(column === undefined ? { path, line, message } : { path, line, column, message });
      else
        process.emitWarning(`${where(path, line, column)}: ${message} (line skipped)`, {
          code: 'OSIRIS_BAD_LINE',
        });
    };
  }
  return (line, message, column) => {
    throw new ConnectorError(`${where(path, line, column)}: ${message}`, {
      code: 'BAD_LINE',
      category: 'config',
      hint: "Fix the line, or read with on_bad_lines: 'skip' or 'warn' to go on without it",
      file: path,
      line,
      column,
    });
  };
}

/** `path:line`, or `path:line:column` when the column is known. */
function where(path: string, line: number, column: number | undefined): string {
  return column === undefined ? `${path}:${line}` : `${path}:${line}:${column}`;
}
