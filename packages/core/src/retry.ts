import { checkOptions } from './check-options.js';

/** How `withRetry` retries. */
export interface RetryOptions {
  /** Tries in total, the first one included (an integer ≥ 1). */
  attempts: number;
  /** Upper bound of the wait before the first retry; it doubles for each later retry. */
  baseMs: number;
  /** Upper bound of any wait. */
  maxMs: number;
  /** Stops at once, also in the middle of a wait; `withRetry` then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** Called before each wait, e.g. to log or count retries. */
  onRetry?: (retry: RetryEvent) => void;
}

/** What `onRetry` is told. */
export interface RetryEvent {
  /** The attempt that just failed (1 for the first). */
  attempt: number;
  /** How long `withRetry` waits before the next attempt. */
  delayMs: number;
  /** What the failed attempt threw. */
  error: unknown;
}

/**
 * Calls `fn` until it succeeds, retrying only errors that say `retryable: true`, up to `attempts`
 * tries, waiting a random time between 0 and `min(maxMs, baseMs * 2^(retry - 1))` before each retry
 * ("full jitter", so that many clients failing at once do not retry in lockstep).
 * The last error, or the first one that is not retryable, is rethrown as it is.
 */
export async function withRetry<T>(fn: (attempt: number) => Promise<T>, options: RetryOptions): Promise<T> {
  const { attempts, baseMs, maxMs, signal, onRetry } = options;
  assertOptions(options);
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    try {
      return await fn(attempt);
    } catch (error) {
      if (attempt >= attempts || !isRetryable(error)) throw error;
      const delayMs = Math.random() * Math.min(maxMs, baseMs * 2 ** (attempt - 1));
      onRetry?.({ attempt, delayMs, error });
      await pause(delayMs, signal);
    }
  }
}

const isRetryable = (error: unknown) =>
  typeof error === 'object' && error !== null && (error as { retryable?: unknown }).retryable === true;

/** Resolves after `ms`, or rejects with the signal's reason as soon as it aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function assertOptions({ attempts, baseMs, maxMs }: RetryOptions): void {
  checkOptions(
    'retry',
    [
      [Number.isInteger(attempts) && attempts >= 1, `attempts must be an integer ≥ 1, got ${attempts}`],
      [baseMs >= 0 && maxMs >= 0, `baseMs and maxMs must be ≥ 0, got ${baseMs} and ${maxMs}`],
    ],
    '{ attempts: 3, baseMs: 200, maxMs: 5000 }',
  );
}
