import { ConnectorError } from '@osiris/core';
import { type CallLimits, Deadline, isDeadlineError } from './deadline.js';
import { classifyMysqlError, isFatal } from './errors.js';
import type { AcquirePhase, Pool } from './pool.js';
import type { Session, SessionFactory } from './session.js';

/** How long a killed statement may take to wind down before its connection is dropped instead. */
const KILL_GRACE_MS = 5_000;

/** Server errors that say a statement was stopped by a KILL QUERY or a statement time limit. */
const INTERRUPTED = new Set([1317, 1969, 3024]);

/** A session lent out for one piece of work; `done` gives it back, `interrupt` kills what it runs first. */
export interface Lease {
  /** The session. */
  session: Session;
  /** Stops the clock and aborts when the caller's limits are reached. */
  deadline: Deadline;
}

/** Runs work on pooled sessions within time limits; a stopped statement is killed on the server, not abandoned. */
export class Executor {
  constructor(
    private readonly pool: Pool<Session>,
    private readonly sessions: SessionFactory,
    /** Wraps every statement in START TRANSACTION READ ONLY … ROLLBACK. */
    private readonly readOnly: boolean,
  ) {}

  /**
   * Runs `work` on a session from the pool; returns the session when done. With `untilSettled` the caller's
   * limits stop only the wait for a session: the work watches `deadline.signal` itself and its own outcome is
   * the answer (a write must never be reported aborted while its COMMIT is on the way).
   */
  async run<T>(
    limits: CallLimits,
    work: (session: Session, deadline: Deadline) => Promise<T>,
    { untilSettled = false }: { untilSettled?: boolean } = {},
  ): Promise<T> {
    const lease = await this.lease(limits);
    const pending = this.inTransaction(lease.session, () => work(lease.session, lease.deadline));
    try {
      const value = await (untilSettled ? pending : lease.deadline.race(pending));
      this.finish(lease);
      return value;
    } catch (error) {
      this.finish(lease, error, untilSettled ? undefined : pending);
      throw this.classify(error);
    }
  }

  /** A session for work the caller drives itself (a stream); the caller must `finish` it. */
  async lease(limits: CallLimits): Promise<Lease> {
    const deadline = new Deadline(limits);
    const ready = this.pool.takeReady();
    if (ready !== undefined) return { session: ready, deadline };
    let phase = 'connecting' as AcquirePhase;
    try {
      const session = await deadline.race(
        this.pool.acquire(deadline.signal, (now) => {
          phase = now;
        }),
      );
      return { session, deadline };
    } catch (error) {
      deadline.clear();
      // Time up before any statement ran: say what was waited for, not that a statement was killed.
      if (isDeadlineError(error) && error.code === 'QUERY_TIMEOUT') {
        const ms = limits.timeoutMs as number;
        throw phase === 'waiting' ? this.pool.exhausted(ms) : noConnection(ms);
      }
      throw this.classify(error);
    }
  }

  /**
   * Gives a lease back. After a deadline error the statement still running is killed and the session
   * reused only once the kill is seen to land; after a fatal error the session is dropped.
   */
  finish(lease: Lease, error?: unknown, pending?: Promise<unknown>): void {
    lease.deadline.clear();
    const { session } = lease;
    if (error === undefined) this.pool.release(session);
    else if (isDeadlineError(error) && pending !== undefined) this.interrupt(session, pending);
    else if (isFatal(error) || session.broken) this.pool.discard(session);
    else this.pool.release(session);
  }

  /** Kills the statement `session` runs; `pending` settles when the session is idle again. */
  interrupt(session: Session, pending: Promise<unknown>): void {
    const landed = this.sessions
      .killQuery(session.threadId)
      .then(() => settleWithin(pending, KILL_GRACE_MS))
      .then((outcome) => outcome === 'interrupted');
    landed.then(
      (reusable) => (reusable ? this.pool.release(session) : this.pool.discard(session)),
      () => this.pool.discard(session),
    );
  }

  /** Runs `work` inside a read-only transaction on read-only connections. */
  async inTransaction<T>(session: Session, work: () => Promise<T>): Promise<T> {
    if (!this.readOnly) return work();
    await session.run('START TRANSACTION READ ONLY');
    let value: T;
    try {
      value = await work();
    } catch (error) {
      await session.run('ROLLBACK').catch(() => {});
      throw error;
    }
    await session.run('ROLLBACK');
    return value;
  }

  /** A driver error as a categorised `ConnectorError` naming the server. */
  classify(error: unknown) {
    return classifyMysqlError(error, this.sessions.context);
  }
}

/** How a killed statement ended: stopped by the kill, finished anyway, failed otherwise, or still running. */
async function settleWithin(
  pending: Promise<unknown>,
  ms: number,
): Promise<'interrupted' | 'finished' | 'failed' | 'stuck'> {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<'stuck'>((resolve) => {
    timer = setTimeout(() => resolve('stuck'), ms);
  });
  try {
    return await Promise.race([
      pending.then(
        () => 'finished' as const,
        (error: { errno?: number }) => (INTERRUPTED.has(error?.errno ?? 0) ? 'interrupted' : 'failed'),
      ),
      stuck,
    ]);
  } finally {
    clearTimeout(timer);
  }
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
