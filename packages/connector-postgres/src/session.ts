/**
 * One call's use of one pooled connection: taken from the pool within the call's limits, its statements run
 * over the extended protocol (exactly one statement each) and cancelled on the server when the call's time
 * runs out or its signal aborts, and given back afterwards: reset (read-only), reused, or closed when suspect.
 */
import { ConnectorError, isConnectorError } from '@osiris/core';
import type pg from 'pg';
import { cancelBackend } from './cancel.js';
import { classifyPostgresError } from './errors.js';

/** Limits of one call. */
export interface CallLimits {
  /** Give up after this long: waiting for a connection, then cancelling the running statement. */
  timeoutMs?: number;
  /** Aborts the call the same way. */
  signal?: AbortSignal;
}

/** What the session layer knows about the pool it draws from. */
export interface SessionOptions {
  /** The pool. */
  pool: pg.Pool;
  /** Server address, for cancel requests and messages. */
  host: string;
  /** Server port. */
  port: number;
  /** Run `DISCARD ALL` before a connection goes back (read-only aliases: nothing a call did survives it). */
  resetOnRelease: boolean;
}

/** How often a cancel is sent again while the statement it should stop still runs. */
const CANCEL_RETRY_MS = 1_000;

/** Raw text for every type: the value decoders (values.ts) make canonical values of it. */
const TEXT_TYPES = { getTypeParser: () => (text: string) => text };

/** One statement's result: rows as arrays of text (null for NULL), the fields, the command's row count. */
export interface TextResult {
  /** Rows, each value the server's text or null. */
  rows: Array<Array<string | null>>;
  /** The result's field descriptions. */
  fields: pg.FieldDef[];
  /** Rows returned or affected. */
  rowCount: number;
  /** The command tag's verb (SELECT, INSERT…). */
  command: string;
}

/** A connection held for one call. */
export class Session {
  /** Set when a cancel went out that the server may not have spent: the connection is closed, not reused. */
  suspect = false;
  /** Cancel requests sent for this session; with more than one, one may still be on its way. */
  cancelsSent = 0;

  constructor(
    /** The pooled client. */
    readonly client: pg.PoolClient,
    /** Aborted when the call's limits run out. */
    readonly signal: AbortSignal,
    private readonly options: SessionOptions,
  ) {}

  /** Throws the call's `ABORTED` / `QUERY_TIMEOUT` error once its signal fired (checked between steps). */
  throwIfAborted(): void {
    if (this.signal.aborted) throw abortError(this.signal, this.signal.reason);
  }

  /** Runs one statement over the extended protocol (a second statement in `text` is a server error). */
  async run(text: string, values: readonly unknown[] = []): Promise<TextResult> {
    const result = await this.cancellable(() =>
      this.client.query({
        text,
        values: values as unknown[],
        rowMode: 'array',
        types: TEXT_TYPES,
        queryMode: 'extended',
      } as pg.QueryArrayConfig),
    );
    return {
      rows: result.rows as Array<Array<string | null>>,
      fields: result.fields,
      rowCount: result.rowCount ?? 0,
      command: result.command,
    };
  }

  /** Runs statements this package wrote itself over the simple protocol (several in one round trip). */
  async script(text: string): Promise<void> {
    await this.cancellable(() => this.client.query(text));
  }

  /**
   * Runs `work` so that the call's deadline or abort cancels it on the server: a CancelRequest for this
   * backend. The statement then fails with 57014 and the connection is fine; if it ends any other way after a
   * cancel went out, the cancel might still land on a later statement, so the connection is not reused.
   */
  private async cancellable<T>(work: () => Promise<T>): Promise<T> {
    this.throwIfAborted();
    let cancelled = false;
    let stopCancelling = () => {};
    const onAbort = () => {
      cancelled = true;
      this.suspect = true;
      stopCancelling = this.cancelRepeatedly();
    };
    this.signal.addEventListener('abort', onAbort, { once: true });
    try {
      return await work();
    } catch (error) {
      if (cancelled && (error as { code?: unknown }).code === '57014' && this.cancelsSent === 1)
        this.suspect = false;
      throw cancelled ? abortError(this.signal, error) : error;
    } finally {
      stopCancelling();
      this.signal.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Cancels now and again every second until the returned stop is called: a cancel that reaches the backend
   * before the statement does (it travels on a connection of its own) is ignored by the server.
   */
  cancelRepeatedly(): () => void {
    void this.cancel();
    const timer = setInterval(() => void this.cancel(), CANCEL_RETRY_MS);
    return () => clearInterval(timer);
  }

  /**
   * Opens a read-only transaction and takes its snapshot at once: from then on not even
   * `SET transaction_read_only = off` can make it read-write (the server refuses that after the first query).
   */
  beginReadOnly(): Promise<void> {
    return this.script('BEGIN TRANSACTION READ ONLY; SELECT 1');
  }

  /** Runs `work` in a read-only transaction that is rolled back afterwards (undoing even set_config). */
  async readOnlyTransaction<T>(work: () => Promise<T>): Promise<T> {
    await this.beginReadOnly();
    try {
      return await work();
    } finally {
      await this.script('ROLLBACK').catch(() => (this.suspect = true));
    }
  }

  /** Asks the server to cancel whatever this backend runs now. */
  cancel(): Promise<void> {
    this.cancelsSent++;
    const { processID, secretKey } = this.client as unknown as { processID: number; secretKey: number };
    return cancelBackend({ host: this.options.host, port: this.options.port, processID, secretKey });
  }
}

/** The error for a call stopped by its deadline or by its caller's signal. */
function abortError(signal: AbortSignal, cause: unknown): ConnectorError {
  const reason = signal.reason as { name?: string } | undefined;
  if (reason?.name === 'TimeoutError') {
    return new ConnectorError('The statement ran past its time limit and was cancelled on the server', {
      code: 'QUERY_TIMEOUT',
      category: 'timeout',
      hint: 'Raise timeoutMs (or statement_timeout), or make the statement faster',
      retryable: true,
      cause,
    });
  }
  return new ConnectorError('The call was aborted; its statement was cancelled on the server', {
    code: 'ABORTED',
    category: 'internal',
    hint: 'The caller aborted the call (AbortSignal)',
    cause,
  });
}

/** The signal of a call's limits: its timeout and its caller's signal, whichever comes first. */
function callSignal(limits: CallLimits): AbortSignal {
  const signals = [
    limits.signal,
    limits.timeoutMs === undefined ? undefined : AbortSignal.timeout(limits.timeoutMs),
  ];
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  return present.length === 0 ? new AbortController().signal : AbortSignal.any(present);
}

/** Hands out sessions of one pool. */
export class Sessions {
  constructor(private readonly options: SessionOptions) {}

  /** Runs `work` on a connection of the pool within `limits`, then gives the connection back. */
  async use<T>(limits: CallLimits, work: (session: Session) => Promise<T>): Promise<T> {
    const signal = callSignal(limits);
    const client = await this.acquire(signal);
    const session = new Session(client, signal, this.options);
    let failure: unknown;
    try {
      return await work(session);
    } catch (error) {
      failure = error;
      throw classifyPostgresError(error, this.where());
    } finally {
      await this.release(session, failure);
    }
  }

  /** A session for a stream: the caller gives it back through `release`. */
  async open(limits: CallLimits): Promise<Session> {
    const signal = callSignal(limits);
    return new Session(await this.acquire(signal), signal, this.options);
  }

  /** Gives a session's connection back: reset and reused when healthy, closed when it may not be. */
  async release(session: Session, failure?: unknown): Promise<void> {
    const broken = session.suspect || (failure !== undefined && isConnectionFailure(failure));
    if (!broken) {
      try {
        // A failed call may have left a transaction open; ROLLBACK outside one only warns.
        if (failure !== undefined) await session.client.query('ROLLBACK');
        if (this.options.resetOnRelease) await session.client.query('DISCARD ALL');
      } catch (error) {
        session.client.release(error as Error);
        return;
      }
    }
    session.client.release(
      broken ? new Error('connection closed after a cancel or a connection failure') : undefined,
    );
  }

  private where(): string {
    return `${this.options.host}:${this.options.port}`;
  }

  /** A connection from the pool, or a categorised error once the signal fires first. */
  private async acquire(signal: AbortSignal): Promise<pg.PoolClient> {
    if (signal.aborted) throw abortError(signal, signal.reason);
    const { pool } = this.options;
    // pg-pool says "timeout exceeded when trying to connect" both for a slow server and for a full pool.
    const full = pool.totalCount >= (pool.options.max ?? Number.POSITIVE_INFINITY) && pool.idleCount === 0;
    const pending = pool.connect();
    let onAbort = () => {};
    const aborted = new Promise<never>((_, reject) => {
      onAbort = () => reject(abortError(signal, signal.reason));
      signal.addEventListener('abort', onAbort, { once: true });
    });
    try {
      return await Promise.race([pending, aborted]);
    } catch (error) {
      // A connection that arrives after the caller gave up goes straight back.
      pending.then(
        (client) => client.release(),
        () => undefined,
      );
      if (full && !signal.aborted) {
        throw new ConnectorError(`Every one of the ${pool.options.max} pooled connections stayed busy`, {
          code: 'POOL_EXHAUSTED',
          category: 'timeout',
          hint: 'Raise pool_size, finish (or break out of) open reads sooner, or raise connect_timeout',
          retryable: true,
          cause: error,
        });
      }
      throw classifyPostgresError(error, this.where());
    } finally {
      signal.removeEventListener('abort', onAbort);
    }
  }
}

/** True when the connection itself failed, as opposed to one statement (then it is closed, not reused). */
function isConnectionFailure(error: unknown): boolean {
  if (isConnectorError(error)) return error.category === 'network';
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return /^(08|57P)/.test(code);
  return true;
}
