/**
 * Runs a call's work on a pooled server connection within the call's limits: the wait for a connection and the
 * work share one deadline (core's `withTimeout`), a read-only connection's work runs inside its read-only
 * transaction, and a statement the deadline, an abort or a stream's consumer stopped is killed on the server
 * before its connection is reused.
 */
import { ConnectorError, isConnectorError, withTimeout } from '@osiris/core';
import type { ConnectionOpener } from './connection-opener.js';
import { classifyMysqlError, isFatal } from './errors.js';
import type { AcquirePhase, Pool } from './pool.js';
import type { ReadOnlyLayers } from './read-only/server-layers.js';
import type { ServerConnection } from './server-connection.js';

/** Limits of one call: a total time and the caller's abort signal. */
export interface CallLimits {
  /** Give up after this many milliseconds (the statement is killed on the server). */
  timeoutMs?: number;
  /** Aborts the call (the statement is killed on the server). */
  signal?: AbortSignal;
}

/** The work of a call: its statements on `connection`; `signal` aborts once the call's limits are reached. */
export type Work<T> = (connection: ServerConnection, signal: AbortSignal) => Promise<T>;

/** How long a killed statement may take to wind down before its connection is dropped instead. */
const KILL_GRACE_MS = 5_000;

/** Server errors that say a statement was stopped by a KILL QUERY or a statement time limit. */
const INTERRUPTED = new Set([1317, 1969, 3024]);

/** Runs work on pooled connections within time limits; a stopped statement is killed on the server, not abandoned. */
export class Executor {
  constructor(
    private readonly pool: Pool<ServerConnection>,
    private readonly opener: ConnectionOpener,
    /** A read-only connection's layers: every call's work runs inside their read-only transaction. */
    private readonly readOnly: ReadOnlyLayers | undefined,
  ) {}

  /**
   * Runs `work` on a connection from the pool and gives the connection back. With `untilSettled` the limits stop
   * only the wait for a connection: the work watches its signal itself and its own outcome is the answer (a write
   * must never be reported aborted while its COMMIT is on the way).
   */
  async run<T>(limits: CallLimits, work: Work<T>, { untilSettled = false } = {}): Promise<T> {
    const waited: { phase: AcquirePhase | 'running' } = { phase: 'connecting' };
    const bounded = <R>(step: (signal: AbortSignal) => Promise<R>) =>
      withTimeout(step, {
        ms:
          limits.timeoutMs !== undefined && Number.isFinite(limits.timeoutMs) ? limits.timeoutMs : undefined,
        signal: limits.signal,
        timeoutError: () => this.timedOut(waited.phase, limits.timeoutMs as number),
        abortError: aborted,
      });
    // An idle connection ready at once needs no wait, so work that takes no signal needs none made.
    const ready = this.pool.takeReady();
    let leased: { connection: ServerConnection; pending: Promise<T>; settled: boolean } | undefined;
    const start = async (acquiring?: AbortSignal, working?: AbortSignal) => {
      const connection = ready ?? (await this.pool.acquire(acquiring, (phase) => (waited.phase = phase)));
      waited.phase = 'running';
      const signal = working as AbortSignal;
      const pending = this.readOnly
        ? this.readOnly.inTransaction(connection, () => work(connection, signal))
        : work(connection, signal);
      const lease = { connection, pending, settled: false };
      const settle = () => {
        lease.settled = true;
      };
      pending.then(settle, settle);
      leased = lease;
      return lease;
    };
    try {
      let value: T;
      if (untilSettled) {
        const watched = abortedWith(limits.signal);
        value = await bounded((signal) => start(signal, watched.signal))
          .then((lease) => lease.pending)
          .finally(watched.detach);
      } else if (ready !== undefined && work.length < 2) {
        value = await bounded(async () => (await start()).pending);
      } else {
        value = await bounded(async (signal) => (await start(signal, signal)).pending);
      }
      this.pool.release((leased as NonNullable<typeof leased>).connection);
      return value;
    } catch (error) {
      if (leased !== undefined)
        this.giveBack(leased.connection, error, leased.settled ? undefined : leased.pending);
      else if (ready !== undefined) this.pool.release(ready);
      throw this.classify(error);
    }
  }

  /**
   * Gives a connection back after a failure: one whose work still runs has its statement killed and is reused
   * only once the kill is seen to land; one that broke is dropped.
   */
  private giveBack(
    connection: ServerConnection,
    error: unknown,
    running: Promise<unknown> | undefined,
  ): void {
    if (running !== undefined) this.interrupt(connection, running);
    else if (isFatal(error) || connection.broken) this.pool.discard(connection);
    else this.pool.release(connection);
  }

  /** Kills the statement `connection` runs; `running` settles when the connection is idle again. */
  private interrupt(connection: ServerConnection, running: Promise<unknown>): void {
    const landed = this.opener
      .killQuery(connection.threadId)
      .then(() => settleWithin(running, KILL_GRACE_MS))
      .then((outcome) => outcome === 'interrupted');
    landed.then(
      (reusable) => (reusable ? this.pool.release(connection) : this.pool.discard(connection)),
      () => this.pool.discard(connection),
    );
  }

  /** A driver error as a categorised `ConnectorError` naming the server. */
  classify(error: unknown): ConnectorError {
    return classifyMysqlError(error, this.opener.context);
  }

  /** What a call's limit passing means, by what it was waiting for: a busy pool, an opening connection, the work. */
  private timedOut(phase: AcquirePhase | 'running', ms: number): ConnectorError {
    if (phase === 'waiting') return this.pool.exhausted(ms);
    if (phase === 'connecting') return noConnection(ms);
    return new ConnectorError(`Gave up after ${ms} ms (a statement still running is killed on the server)`, {
      code: 'QUERY_TIMEOUT',
      category: 'timeout',
      retryable: true,
      hint: 'Raise timeoutMs (or read_timeout), or make the statement cheaper (an index, a narrower WHERE)',
    });
  }
}

/**
 * The caller's abort as the error a call reports; a reason that is already a `ConnectorError` (a stream's own
 * stop, such as a stall) stays what it is.
 */
function aborted(reason: unknown): ConnectorError {
  if (isConnectorError(reason)) return reason;
  return new ConnectorError('The statement was aborted by the caller and killed on the server', {
    code: 'ABORTED',
    category: 'internal',
    cause: reason,
  });
}

/** A signal that aborts with `aborted(reason)` when `signal` does, for work that must see the abort but not be raced. */
function abortedWith(signal: AbortSignal | undefined): { signal: AbortSignal; detach: () => void } {
  const controller = new AbortController();
  const onAbort = () => controller.abort(aborted(signal?.reason));
  if (signal?.aborted) onAbort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  return { signal: controller.signal, detach: () => signal?.removeEventListener('abort', onAbort) };
}

/** How a killed statement ended: stopped by the kill, finished anyway, failed otherwise, or still running. */
function settleWithin(
  running: Promise<unknown>,
  ms: number,
): Promise<'interrupted' | 'finished' | 'failed' | 'stuck'> {
  const outcome = () =>
    running.then(
      () => 'finished' as const,
      (error: { errno?: number }) => (INTERRUPTED.has(error?.errno ?? 0) ? 'interrupted' : 'failed'),
    );
  // The outcome never rejects: a rejection here is the time running out.
  return withTimeout(outcome, { ms }).catch(() => 'stuck' as const);
}

/** The call's limit passed while a connection was being opened (handshake, session setup) or an idle one pinged. */
function noConnection(ms: number): ConnectorError {
  return new ConnectorError(
    `No connection within ${ms} ms: the server did not complete the handshake, the session setup or the ping of an idle connection`,
    {
      code: 'CONNECT_TIMEOUT',
      category: 'timeout',
      retryable: true,
      hint: 'Check that the server is up and responsive (not paused or overloaded), host, port and firewall; or raise timeoutMs',
    },
  );
}
