import type { ColumnInfo, PositionalBatch, Row, RowBatchStream } from '@osiris/core';
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
}

/** A statement, with the columns it yields when they are known better than its result-set metadata says. */
export interface DescribedStatement extends Statement {
  /** The columns (a table read's, from information_schema); absent: described from the result set. */
  columns?: ColumnInfo[];
}

/** Full batches buffered before the server connection is paused (and resumed below it). */
const HIGH_WATER = 2;

/**
 * How the rows of a statement come off the wire: objects (mysql2's own row parser, for user code iterating
 * a read) or arrays in column order (the fast lane, for sinks).
 */
type Shape = 'objects' | 'arrays';

/**
 * Streams the rows of one statement as batches: row objects when iterated, positional batches through
 * `positional()` (values are the typed caster's canonical values either way). The connection is paused while
 * the consumer is behind (so memory stays at a few batches), and an early `break` kills the statement and
 * releases the connection.
 */
export function streamRows(
  executor: Executor,
  statement: (session: Session) => Promise<DescribedStatement>,
  options: StreamOptions,
): RowBatchStream {
  const stream = new StatementStream(executor, statement, options);
  return {
    columns: () => stream.columns(),
    [Symbol.asyncIterator]: () => stream.batches('objects') as AsyncGenerator<Row[]>,
    // Canonical only when typed: `values: 'text'` columns carry no logical type, so sinks take the objects.
    ...(options.values === 'typed' && {
      positional: () => ({
        [Symbol.asyncIterator]: () => stream.batches('arrays') as AsyncGenerator<PositionalBatch>,
      }),
    }),
  };
}

class StatementStream {
  private lease: Lease | undefined;
  private starting: Promise<void> | undefined;
  private iterated = false;
  private readonly queue: unknown[][] = [];
  private batch: unknown[] = [];
  /** The row shape the statement is sent with, settled by the first consumer (see `columns()`). */
  private shape: Shape | undefined;
  private shapeChosen: (shape: Shape) => void = () => {};
  private readonly shapeKnown = new Promise<Shape>((resolve) => (this.shapeChosen = resolve));
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

  /**
   * Column metadata; takes a connection if iteration has not (iterate or break afterwards to release it). A
   * table read knows its columns before the statement runs; a query's come with its result set, so asking for
   * them first sends the query with the rows as arrays (iterating it then builds the objects from those).
   */
  columns(): Promise<ColumnInfo[]> {
    this.start().catch(() => {});
    return this.columnInfo;
  }

  private choose(shape: Shape): void {
    if (this.shape !== undefined) return;
    this.shape = shape;
    this.shapeChosen(shape);
  }

  async *batches(wanted: Shape): AsyncGenerator<unknown[], void, undefined> {
    if (this.iterated) {
      throw new ConnectorError('A read can be iterated once', {
        code: 'STREAM_CONSUMED',
        category: 'internal',
        hint: 'Call read() again for a second pass',
      });
    }
    this.iterated = true;
    this.choose(wanted);
    let completed = false;
    try {
      await this.start();
      const lease = this.lease as Lease;
      const toObjects =
        this.shape === 'arrays' && wanted === 'objects' ? rowObjects(await this.columnInfo) : undefined;
      while (true) {
        if (lease.deadline.signal.aborted) throw lease.deadline.signal.reason;
        const batch = this.queue.shift();
        if (batch !== undefined) {
          if (this.paused && this.queue.length < HIGH_WATER) this.resume();
          yield toObjects === undefined ? batch : toObjects(batch as unknown[][]);
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
        if (statement.columns !== undefined) this.resolveColumns(statement.columns);
        else this.choose('arrays');
        return this.run(lease, statement, await this.shapeKnown);
      });
      this.finished.catch(() => {});
    });
    return this.starting;
  }

  /** Starts the statement; resolves when it is over, rejects with its error. */
  private run(lease: Lease, statement: DescribedStatement, shape: Shape): Promise<void> {
    const { session } = lease;
    const query = session.stream(statement.sql, statement.values as QueryValues, {
      values: this.options.values,
      arrays: shape === 'arrays',
    });
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
      query.on('result', (row: unknown) => {
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

/** Positional rows → row objects keyed by the column names (for a query whose rows came as arrays). */
function rowObjects(columns: readonly ColumnInfo[]): (rows: unknown[][]) => Row[] {
  const names = columns.map((column) => column.name);
  // Assigning `__proto__` would set the row's prototype instead of a key.
  const defined = names.map((name) => name === '__proto__');
  return (rows) =>
    rows.map((values) => {
      const row: Row = {};
      for (let c = 0; c < names.length; c++) {
        const name = names[c] as string;
        if (defined[c])
          Object.defineProperty(row, name, {
            value: values[c],
            enumerable: true,
            writable: true,
            configurable: true,
          });
        else row[name] = values[c];
      }
      return row;
    });
}

function stalled(ms: number): ConnectorError {
  return new ConnectorError(`No rows arrived for ${ms} ms`, {
    code: 'QUERY_TIMEOUT',
    category: 'timeout',
    retryable: true,
    hint: 'The server stopped sending; raise read_timeout for slow queries, or check the server and network',
  });
}
