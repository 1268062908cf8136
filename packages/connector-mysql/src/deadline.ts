import { ConnectorError } from '@osiris/core';

/** Limits of one call: a total time and the caller's abort signal. */
export interface CallLimits {
  /** Give up after this many milliseconds (the statement is killed on the server). */
  timeoutMs?: number;
  /** Aborts the call (the statement is killed on the server). */
  signal?: AbortSignal;
}

/** A deadline for one call: `stopped` rejects when the time is up or the caller aborts. */
export class Deadline {
  /** Rejects with QUERY_TIMEOUT or ABORTED; never resolves. */
  readonly stopped: Promise<never>;
  private controller: AbortController | undefined;
  private reason: ConnectorError | undefined;
  private timer: NodeJS.Timeout | undefined;
  private detach: () => void = () => {};

  constructor({ timeoutMs, signal }: CallLimits) {
    this.stopped = new Promise<never>((_, rejectWith) => {
      const reject = (error: ConnectorError) => {
        this.reason = error;
        this.controller?.abort(error);
        rejectWith(error);
      };
      if (timeoutMs !== undefined && Number.isFinite(timeoutMs)) {
        this.timer = setTimeout(() => reject(timedOut(timeoutMs)), timeoutMs);
      }
      if (signal !== undefined) {
        const onAbort = () => reject(aborted(signal.reason));
        if (signal.aborted) onAbort();
        else {
          signal.addEventListener('abort', onAbort, { once: true });
          this.detach = () => signal.removeEventListener('abort', onAbort);
        }
      }
    });
    // Nobody may be listening when the deadline passes after the work finished.
    this.stopped.catch(() => {});
  }

  /** Aborted (with the deadline's error) once `stopped` rejects, for APIs that take a signal; made on first use. */
  get signal(): AbortSignal {
    if (this.controller === undefined) {
      this.controller = new AbortController();
      if (this.reason !== undefined) this.controller.abort(this.reason);
    }
    return this.controller.signal;
  }

  /** Whichever comes first: the work or the deadline. */
  race<T>(work: Promise<T>): Promise<T> {
    return Promise.race([work, this.stopped]);
  }

  /** Stops the clock. */
  clear(): void {
    clearTimeout(this.timer);
    this.detach();
  }
}

/** True for the errors a `Deadline` produces. */
export const isDeadlineError = (error: unknown): error is ConnectorError =>
  error instanceof ConnectorError && (error.code === 'QUERY_TIMEOUT' || error.code === 'ABORTED');

function timedOut(timeoutMs: number): ConnectorError {
  return new ConnectorError(
    `Gave up after ${timeoutMs} ms (a statement still running is killed on the server)`,
    {
      code: 'QUERY_TIMEOUT',
      category: 'timeout',
      retryable: true,
      hint: 'Raise timeoutMs (or read_timeout), or make the statement cheaper (an index, a narrower WHERE)',
    },
  );
}

function aborted(reason: unknown): ConnectorError {
  return new ConnectorError('The statement was aborted by the caller and killed on the server', {
    code: 'ABORTED',
    category: 'internal',
    cause: reason,
  });
}
