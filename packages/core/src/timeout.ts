/**
 * `withTimeout`: one deadline and one abort signal for a piece of work, so callers stop waiting
 * at the deadline even when the work ignores its signal.
 */
import { checkOptions } from './check-options.js';
import { ConnectorError } from './errors.js';

/** How long `withTimeout` lets the work run, and what it says when the time is up. */
export interface TimeoutOptions {
  /** Milliseconds the work may take; `undefined` means no deadline (only `signal` stops it). */
  ms: number | undefined;
  /** The caller's signal: when it aborts, the work is aborted and `withTimeout` rejects with its reason. */
  signal?: AbortSignal;
  /** The error to reject with at the deadline (default: a retryable `OPERATION_TIMEOUT` ConnectorError). */
  timeoutError?: () => unknown;
}

/**
 * Runs `work` with a signal that aborts at the deadline or when the caller's signal aborts, and
 * settles no later than that: with the work's outcome if it came first, else with `timeoutError()`
 * (or the caller's abort reason). The work's signal aborts with a `TimeoutError` DOMException at
 * the deadline, as `AbortSignal.timeout` does, so `fetch` and the like stop and say why.
 */
export async function withTimeout<T>(
  work: (signal: AbortSignal) => Promise<T>,
  options: TimeoutOptions,
): Promise<T> {
  const { ms, signal } = options;
  checkOptions(
    'timeout',
    [[ms === undefined || (Number.isFinite(ms) && ms >= 0), `ms must be a number ≥ 0, got ${ms}`]],
    '{ ms: 5000 }',
  );
  signal?.throwIfAborted();
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  let onAbort: (() => void) | undefined;
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => {
      controller.abort(signal?.reason);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    if (ms !== undefined) {
      timer = setTimeout(() => {
        controller.abort(new DOMException(`timed out after ${ms} ms`, 'TimeoutError'));
        reject((options.timeoutError ?? (() => timedOut(ms)))());
      }, ms);
    }
  });
  try {
    return await Promise.race([(async () => work(controller.signal))(), stopped]);
  } finally {
    clearTimeout(timer);
    if (onAbort !== undefined) signal?.removeEventListener('abort', onAbort);
  }
}

const timedOut = (ms: number) =>
  new ConnectorError(`Gave up after ${ms} ms`, {
    code: 'OPERATION_TIMEOUT',
    category: 'timeout',
    hint: 'Allow a longer timeout, or check what the operation waits for',
    retryable: true,
  });
