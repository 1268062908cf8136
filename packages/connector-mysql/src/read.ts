/**
 * The row stream of `read()`: one statement's rows as batches on a Node `Readable`, whose buffer (two batches)
 * pauses the server connection when the consumer is behind and resumes it when the consumer reads on. Row
 * objects when iterated, positional batches through `positional()` (the fast lane); `break`, a thrown error,
 * an abort or a stall destroys the stream, which stops the call: the executor kills the statement and
 * gives the connection back.
 */
import { Readable } from 'node:stream';
import type { ColumnInfo, PositionalBatch, Row, RowBatchStream } from '@osiris/core';
import { ConnectorError } from '@osiris/core';
import type { FieldPacket } from 'mysql2';
import type { CallLimits, Executor } from './executor.js';
import type { QueryValues, ServerConnection } from './server-connection.js';
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

/** Streams the rows of the statement `prepare` makes (the read-only guard included) as batches. */
export function streamRows(
  executor: Executor,
  prepare: (connection: ServerConnection) => Promise<DescribedStatement>,
  options: StreamOptions,
): RowBatchStream {
  const stream = new RowStream(executor, prepare, options);
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

/** One read: started by the first of `columns()` and iteration, iterated once. */
class RowStream {
  private readable: Readable | undefined;
  private iterated = false;
  /** The row shape the statement is sent with, settled by the first consumer (see `columns()`). */
  private shape: Shape | undefined;
  private readonly shapeKnown = deferred<Shape>();
  private readonly columnInfo = deferred<ColumnInfo[]>();

  constructor(
    private readonly executor: Executor,
    private readonly prepare: (connection: ServerConnection) => Promise<DescribedStatement>,
    private readonly options: StreamOptions,
  ) {}

  /**
   * Column metadata; takes a connection if iteration has not (iterate or break afterwards to release it). A
   * table read knows its columns before the statement runs; a query's come with its result set, so asking for
   * them first sends the query with the rows as arrays (iterating it then builds the objects from those).
   */
  columns(): Promise<ColumnInfo[]> {
    this.start();
    return this.columnInfo.promise;
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
    const readable = this.start();
    try {
      const toObjects =
        this.shape === 'arrays' && wanted === 'objects'
          ? rowObjects(await this.columnInfo.promise)
          : undefined;
      for await (const batch of readable) {
        yield toObjects === undefined ? (batch as unknown[]) : toObjects(batch as unknown[][]);
      }
    } finally {
      // An early exit stops the statement; after the end this does nothing.
      readable.destroy();
    }
  }

  private choose(shape: Shape): void {
    if (this.shape !== undefined) return;
    this.shape = shape;
    this.shapeKnown.resolve(shape);
  }

  /** The batches: the call runs until the statement ends, or until the stream is destroyed, which stops it. */
  private start(): Readable {
    if (this.readable !== undefined) return this.readable;
    const halt = new AbortController();
    let resume: (() => void) | undefined;
    const readable = new Readable({
      objectMode: true,
      highWaterMark: HIGH_WATER,
      read: () => resume?.(),
      destroy: (error, callback) => {
        halt.abort(error ?? stoppedEarly());
        callback(error);
      },
    });
    this.readable = readable;
    const signal = this.options.signal ? AbortSignal.any([this.options.signal, halt.signal]) : halt.signal;
    const rows = {
      push: (batch: unknown[]) => readable.push(batch),
      onResume: (wake: () => void) => {
        resume = wake;
      },
      stall: (error: ConnectorError) => halt.abort(error),
    };
    this.executor
      .run({ timeoutMs: this.options.timeoutMs, signal }, (connection, stopped) =>
        this.produce(connection, stopped, rows),
      )
      .then(
        // A consumer that left first has destroyed the stream: nothing is left to end.
        () => readable.destroyed || readable.push(null),
        (error: unknown) => {
          this.columnInfo.reject(error);
          readable.destroy(error as Error);
        },
      );
    return readable;
  }

  /** Runs the statement, pushing full batches; resolves when it is over, rejects with its error. */
  private async produce(
    connection: ServerConnection,
    stopped: AbortSignal,
    rows: {
      push: (batch: unknown[]) => boolean;
      onResume: (wake: () => void) => void;
      stall: (error: ConnectorError) => void;
    },
  ): Promise<void> {
    const statement = await this.prepare(connection);
    if (statement.columns !== undefined) this.columnInfo.resolve(statement.columns);
    else this.choose('arrays');
    const shape = await this.shapeKnown.promise;
    if (stopped.aborted) throw stopped.reason;
    const query = connection.stream(statement.sql, statement.values as QueryValues, {
      values: this.options.values,
      arrays: shape === 'arrays',
    });
    let paused = false;
    // Once stopped, rows still on the wire must flow (and be dropped) for the statement to end or take its kill.
    let discarding = false;
    const flowing = () => {
      if (!paused) return;
      paused = false;
      connection.raw.resume();
    };
    rows.onResume(flowing);
    const onStop = () => {
      discarding = true;
      flowing();
    };
    stopped.addEventListener('abort', onStop, { once: true });
    let hasFields = false;
    let batch: unknown[] = [];
    let rowsSeen = 0;
    let lastSeen = -1;
    const stallMs = this.options.stallTimeoutMs;
    const stallCheck = setInterval(() => {
      if (!paused && rowsSeen === lastSeen) rows.stall(stalled(stallMs));
      lastSeen = rowsSeen;
    }, stallMs).unref();
    const flush = () => {
      if (!rows.push(batch) && !paused) {
        paused = true;
        connection.raw.pause();
      }
      batch = [];
    };
    try {
      await new Promise<void>((resolve, reject) => {
        let failure: unknown;
        const unsubscribe = connection.onLost(reject);
        query.on('fields', (fields: FieldPacket[] | undefined) => {
          hasFields = fields !== undefined;
          this.columnInfo.resolve(
            hasFields
              ? (statement.columns ??
                  describeFields(fields as FieldPacket[], this.options.bytesPerChar, this.options.values))
              : [],
          );
        });
        query.on('result', (row: unknown) => {
          rowsSeen += 1;
          if (!hasFields || discarding) return;
          batch.push(row);
          if (batch.length >= this.options.batchSize) flush();
        });
        query.on('error', (error: unknown) => {
          failure = error;
        });
        query.on('end', () => {
          unsubscribe();
          if (failure !== undefined) return reject(failure);
          if (batch.length > 0 && !discarding) flush();
          this.columnInfo.resolve([]);
          resolve();
        });
      });
    } finally {
      clearInterval(stallCheck);
      stopped.removeEventListener('abort', onStop);
    }
  }
}

/** A promise with its settle functions; settling it again does nothing. */
function deferred<T>(): {
  promise: Promise<T>;
  resolve: (value: T) => void;
  reject: (error: unknown) => void;
} {
  let resolve: (value: T) => void = () => {};
  let reject: (error: unknown) => void = () => {};
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  promise.catch(() => {});
  return { promise, resolve, reject };
}

/** Why a stream stops when its consumer leaves before the end (nobody sees it: the consumer has gone). */
function stoppedEarly(): ConnectorError {
  return new ConnectorError('The consumer stopped reading before the last row', {
    code: 'ABORTED',
    category: 'internal',
  });
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
