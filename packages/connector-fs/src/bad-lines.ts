import { ConnectorError } from '@osiris/core';
import type { BadLine } from './requests.js';

/** What a reader does with a line it cannot use: throws, or returns to go on without it. */
export type BadLineHandler = (line: number, message: string) => void;

/** The handler for `on_bad_lines`: `error` throws `BAD_LINE`, `skip` drops the line, `warn` reports and drops it. */
export function badLineHandler(
  policy: 'error' | 'skip' | 'warn',
  path: string,
  onWarning?: (badLine: BadLine) => void,
): BadLineHandler {
  if (policy === 'skip') return () => {};
  if (policy === 'warn') {
    return (line, message) => {
      if (onWarning) onWarning({ path, line, message });
      else process.emitWarning(`${path}:${line}: ${message} (line skipped)`, { code: 'OSIRIS_BAD_LINE' });
    };
  }
  return (line, message) => {
    throw new ConnectorError(`${path}:${line}: ${message}`, {
      code: 'BAD_LINE',
      category: 'config',
      hint: "Fix the line, or read with on_bad_lines: 'skip' or 'warn' to go on without it",
      file: path,
      line,
    });
  };
}
