import type { ColumnInfo } from '@osiris/core';
import { ConnectorError } from '@osiris/core';
import type { FieldPacket } from 'mysql2';
import type { CallLimits } from './deadline.js';
import { isFatal } from './errors.js';
import type { Executor, Lease } from './executor.js';
import type { QueryValues, Session } from './session.js';
import type { Statement } from './sql.js';
import { describeFields, type ValueMode } from './values.js';

/** How a streamed read behaves. */
export interface StreamOptions extends CallLimits {
  /** Rows per batch. */
  batchSize: number;
  /** How values are decoded. */
  values: ValueMode;
  /** Fail when no row arrives for this long while the consumer is waiting. */
  stallTimeoutMs: number;
  /** Bytes per character of the connection charset (for column metadata). */
  bytesPerChar: number;
  /** Rows as arrays of values in column order instead of objects. */
  arrays: boolean;
}

/** Batches of rows of any shape, with the column metadata (the core `RowBatchStream` for objects). */
export interface BatchStream<R> extends AsyncIterable<R[]> {
  /** Column metadata; resolves once the statement's columns are known. */
  columns(): Promise<readonly ColumnInfo[]>;
}

/** A statement, with the columns it yields when they are known better than its result-set metadata says. */
export interface DescribedStatement extends Statement {
  /** The columns (a table read's, from information_schema); absent: described from the result set. */
  columns?: ColumnInfo[];
}

/** Full batches buffered before the server connection is paused (and resumed below it). */
const HIGH_WATER = 2;

/**
 * Streams the rows of one statement as batches. The connection is paused while the consumer is behind
 * (so memory stays at a few batches), and an early `break` kills the statement and releases the connection.
 */
export function streamRows<R>(
  executor: Executor,
  statement: (session: Session) => Promise<DescribedStatement>,
  options: StreamOptions,
): BatchStream<R> {
  const stream = new StatementStream<R>(executor, statement, options);
  return {
    columns: () => stream.columns(),
    [Symbol.asyncIterator]: () => stream.batches(),
  };
}

class StatementStream<R> {
  private lease: Lease | undefined;
  private starting: Promise<void> | undefined;
  private iterated = false;
  private readonly queue: R[][] = [];
  private batch: R[] = [];
  private ended = false;
  /** The statement is over on the server (ended or failed), so the connection is idle again. */
  private over = false;
  private stallCheck: NodeJS.Timeout | undefined;
  private failure: unknown;
  private paused = false;
  private discarding = false;
  private wake: (() => void) | undefined;
  /** Settles when the statement (and its read-only transaction) is over. */
  private finished: Promise<unknown> = Promise.resolve();
  private readonly columnInfo: Promise<ColumnInfo[]>;
  private resolveColumns: (columns: ColumnInfo[]) => void = () => {};
  private rejectColumns: (error: unknown) => void = () => {};

  constructor(
    private readonly executor: Executor,
    /** The statement to run, checked against the session (the read-only guard) before it is sent. */
    private readonly statement: (session: Session) => Promise<DescribedStatement>,
    private readonly options: StreamOptions,
  ) {
    this.columnInfo = new Promise<ColumnInfo[]>((resolve, reject) => {
      this.resolveColumns = resolve;
      this.rejectColumns = reject;
    });
    this.columnInfo.catch(() => {});
  }

  /** Column metadata; starts the statement if iteration has not (iterate or break afterwards to release it). */
  columns(): Promise<ColumnInfo[]> {
    this.start().catch(() => {});
    return this.columnInfo;
  }

  async *batches(): AsyncGenerator<R[], void, undefined> {
    if (this.iterated) {
      throw new ConnectorError('A read can be iterated once', {
        code: 'STREAM_CONSUMED',
        category: 'internal',
        hint: 'Call read() again for a second pass',
      });
    }
    this.iterated = true;
    let completed = false;
    try {
      await this.start();
      const lease = this.lease as Lease;
      while (true) {
        if (lease.deadline.signal.aborted) throw lease.deadline.signal.reason;
        const batch = this.queue.shift();
        if (batch !== undefined) {
          if (this.paused && this.queue.length < HIGH_WATER) this.resume();
          yield batch;
          continue;
        }
        if (this.failure !== undefined) throw this.failure;
        if (this.ended) break;
        await lease.deadline.race(new Promise<void>((resolve) => (this.wake = resolve)));
      }
      completed = true;
    } catch (error) {
      this.failure ??= error;
      throw this.executor.classify(error);
    } finally {
      this.rejectColumns(this.failure ?? new Error('The read ended before its columns were known'));
      await this.release(completed);
    }
  }

  private start(): Promise<void> {
    this.starting ??= this.executor.lease(this.options).then((lease) => {
      this.lease = lease;
      const { session } = lease;
      this.finished = this.executor.inTransaction(session, async () => {
        let statement: DescribedStatement;
        try {
          statement = await this.statement(session);
        } catch (error) {
          this.over = true;
          this.fail(error);
          throw error;
        }
        return this.run(lease, statement);
      });
      this.finished.catch(() => {});
    });
    return this.starting;
  }

  /** Starts the statement; resolves when it is over, rejects with its error. */
  private run(lease: Lease, statement: DescribedStatement): Promise<void> {
    const { session } = lease;
    const query = session.stream(statement.sql, statement.values as QueryValues, this.options);
    let hasFields = false;
    let rowsSeen = 0;
    let lastSeen = -1;
    let statementError: unknown;
    this.stallCheck = setInterval(() => {
      if (!this.paused && !this.over && rowsSeen === lastSeen)
        this.fail(stalled(this.options.stallTimeoutMs));
      lastSeen = rowsSeen;
    }, this.options.stallTimeoutMs).unref();
    return new Promise<void>((resolve, reject) => {
      const unsubscribe = session.onLost((error) => this.fail(error));
      query.on('fields', (fields: FieldPacket[] | undefined) => {
        hasFields = fields !== undefined;
        if (!hasFields) this.resolveColumns([]);
        else {
          this.resolveColumns(
            statement.columns ??
              describeFields(fields as FieldPacket[], this.options.bytesPerChar, this.options.values),
          );
        }
      });
      query.on('result', (row: R) => {
        rowsSeen += 1;
        if (!hasFields || this.discarding) return;
        this.batch.push(row);
        if (this.batch.length >= this.options.batchSize) this.flush();
      });
      query.on('error', (error: unknown) => {
        statementError = error;
        this.fail(error);
      });
      query.on('end', () => {
        this.over = true;
        clearInterval(this.stallCheck);
        unsubscribe();
        if (statementError !== undefined) {
          reject(statementError);
          return;
        }
        if (this.batch.length > 0) this.flush();
        this.resolveColumns([]);
        this.ended = true;
        this.notify();
        resolve();
      });
    });
  }

  private flush(): void {
    this.queue.push(this.batch);
    this.batch = [];
    if (this.queue.length >= HIGH_WATER && !this.paused) {
      this.paused = true;
      this.lease?.session.raw.pause();
    }
    this.notify();
  }

  private resume(): void {
    this.paused = false;
    this.lease?.session.raw.resume();
  }

  private fail(error: unknown): void {
    this.failure ??= error;
    this.notify();
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }

  /** Returns the connection: at once after a clean end, after a server-side kill when the consumer stopped early. */
  private async release(completed: boolean): Promise<void> {
    const lease = this.lease;
    if (lease === undefined) return;
    this.discarding = true;
    this.queue.length = 0;
    clearInterval(this.stallCheck);
    // Rows still on the wire must flow (and be dropped) for the statement to end or take its kill.
    if (this.paused) this.resume();
    this.lease = undefined;
    if (this.over) {
      // Only the read-only transaction's ROLLBACK may still be under way.
      await this.finished.catch(() => {});
      this.executor.finish(lease, completed ? undefined : this.failure);
    } else if (isFatal(this.failure) || lease.session.broken) {
      this.executor.finish(lease, this.failure);
    } else {
      // Stopped early, timed out or stalled: the statement still runs on the server.
      lease.deadline.clear();
      this.executor.interrupt(lease.session, this.finished);
    }
  }
}

function stalled(ms: number): ConnectorError {
  return new ConnectorError(`No rows arrived for ${ms} ms`, {
    code: 'QUERY_TIMEOUT',
    category: 'timeout',
    retryable: true,
    hint: 'The server stopped sending; raise read_timeout for slow queries, or check the server and network',
  });
}
