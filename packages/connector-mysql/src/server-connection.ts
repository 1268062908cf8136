/**
 * One mysql2 connection whose server session is prepared: statements sent on it (each bounded by how long the
 * server may stay silent), the row events of a streamed statement, the socket's back-pressure, and closing it so
 * that nothing of ours keeps running on the server.
 */
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { ConnectorError, withTimeout } from '@osiris/core';
import type { Connection, FieldPacket, QueryOptions, TypeCast } from 'mysql2';
import { type ValueMode, valueCaster } from './values.js';

/** Values for a statement's `?` placeholders. */
export type QueryValues = QueryOptions['values'];

/** A statement's result: rows (or the OK packet of a write) and column metadata. */
export interface StatementResult {
  /** Rows of a SELECT-like statement; the OK packet (`affectedRows`, `info`…) of anything else. */
  rows: unknown;
  /** Column metadata; undefined for statements without a result set. */
  fields: FieldPacket[] | undefined;
}

/** Per-statement options passed through to mysql2. */
export interface StatementOptions {
  /** How values are decoded (default `typed`). */
  values?: ValueMode;
  /** Rows as arrays instead of objects. */
  rowsAsArray?: boolean;
  /** Supplies the bytes of a `LOAD DATA LOCAL INFILE` (the only way a server can read from us). */
  infileStreamFactory?: (path: string) => Readable;
  /** Milliseconds to wait for the server's answer (default `statementTimeoutMs`); `null`: no limit. */
  timeoutMs?: number | null;
}

/** One server connection with its session prepared; pooled by `Pool`. */
export class ServerConnection {
  /** Set once the connection failed or closed; the pool then drops it. */
  broken = false;
  /**
   * How long a statement may wait for the server's answer when it names no limit (undefined: no limit). A
   * statement past it abandons the connection: a server that does not answer (frozen, half-open link) cannot be
   * asked to stop, and what it did is unknown.
   */
  statementTimeoutMs: number | undefined;
  private readonly lostListeners = new Set<(error: unknown) => void>();

  private readonly casters: Record<ValueMode, TypeCast>;

  constructor(
    /** The driver's connection: its socket is paused, resumed and closed here. */
    readonly raw: Connection,
    /** The session's `time_zone`, a fixed offset (`+00:00`): TIMESTAMP text is read and written in it. */
    readonly timeZone: string,
  ) {
    this.casters = { typed: valueCaster('typed', timeZone), text: valueCaster('text', timeZone) };
    // Without a listener, an error on an idle connection (server restart, KILL) would crash the process.
    raw.on('error', (error) => {
      this.broken = true;
      this.notify(error);
    });
    raw.on('end', () => {
      this.broken = true;
    });
  }

  /** Calls `listener` when the connection fails or is closed under a running statement; returns the unsubscribe. */
  onLost(listener: (error: unknown) => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  private notify(error: unknown): void {
    for (const listener of [...this.lostListeners]) listener(error);
  }

  /** Server thread id (the `Id` column of the process list, the argument of `KILL`). */
  get threadId(): number {
    return this.raw.threadId as number;
  }

  /** Negotiated TLS cipher, if the connection is encrypted. */
  get tlsCipher(): string | undefined {
    const socket = (this.raw as unknown as { stream?: { getCipher?: () => { name?: string } | undefined } })
      .stream;
    return socket?.getCipher?.()?.name;
  }

  /** Runs one statement; values are bound client-side by mysql2 (`?` placeholders). */
  run(sql: string, values?: QueryValues, options: StatementOptions = {}): Promise<StatementResult> {
    const limit =
      options.timeoutMs === undefined ? this.statementTimeoutMs : (options.timeoutMs ?? undefined);
    if (limit === undefined) return this.send(sql, values, options);
    return withTimeout(() => this.send(sql, values, options), {
      ms: limit,
      timeoutError: () => this.abandon(unanswered(limit)),
    });
  }

  /**
   * Gives up on the connection: statements still waiting fail with `error`, the socket is dropped, and the pool
   * will not reuse it. Returns `error`.
   */
  abandon(error: Error): Error {
    this.broken = true;
    this.notify(error);
    this.raw.destroy();
    (this.raw as unknown as { stream: Socket }).stream.destroy();
    return error;
  }

  private send(sql: string, values: QueryValues, options: StatementOptions): Promise<StatementResult> {
    return new Promise((resolve, reject) => {
      // A fatal error is reported to the connection, not always to the statement: listen there too.
      const unsubscribe = this.onLost(reject);
      this.raw.query(
        {
          sql,
          values,
          rowsAsArray: options.rowsAsArray ?? false,
          typeCast: this.casters[options.values ?? 'typed'],
          infileStreamFactory: options.infileStreamFactory,
        },
        (error: unknown, rows: unknown, fields: unknown) => {
          unsubscribe();
          if (error) reject(error);
          else resolve({ rows, fields: fields as FieldPacket[] | undefined });
        },
      );
    });
  }

  /** Starts a statement whose rows arrive as events (for streaming). */
  stream(
    sql: string,
    values: QueryValues,
    options: { values: ValueMode; arrays: boolean },
  ): ReturnType<Connection['query']> {
    return this.raw.query({
      sql,
      values,
      typeCast: this.casters[options.values],
      rowsAsArray: options.arrays,
    });
  }

  /**
   * Abandons the connection unless the returned function is called within `statementTimeoutMs` (no limit: never
   * does): the bound of a statement that streams, re-armed as it makes progress.
   */
  watchdog(): () => void {
    const limit = this.statementTimeoutMs;
    if (limit === undefined) return () => {};
    const timer = setTimeout(() => this.abandon(unanswered(limit)), limit);
    return () => clearTimeout(timer);
  }

  /** Resolves once the socket has room for more bytes: the back-pressure of a `LOAD DATA LOCAL` stream. */
  drained(): Promise<void> {
    const socket = (this.raw as unknown as { stream: Socket }).stream;
    if (!socket.writableNeedDrain) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        socket.off('drain', done);
        socket.off('close', done);
        resolve();
      };
      socket.on('drain', done);
      socket.on('close', done);
    });
  }

  /** Round trip without a statement (COM_PING); a connection whose ping goes unanswered is not reused. */
  ping(timeoutMs: number): Promise<void> {
    return withTimeout(
      () =>
        new Promise<void>((resolve, reject) => this.raw.ping((error) => (error ? reject(error) : resolve()))),
      {
        ms: timeoutMs,
        timeoutError: () => {
          this.broken = true;
          return new Error('ping timed out');
        },
      },
    );
  }

  /** Ends the connection (COM_QUIT) or, when `force` or broken, drops the socket; resolves once it is closed. */
  close(force: boolean): Promise<void> {
    const socket = (this.raw as unknown as { stream: Socket }).stream;
    if (socket.destroyed) return Promise.resolve();
    const closed = new Promise<void>((resolve) => socket.once('close', () => resolve()));
    // mysql2's destroy() only half-closes: a paused or silent socket would never finish closing.
    const cutOff = () => {
      this.raw.destroy();
      socket.destroy();
    };
    if (force || this.broken) {
      // mysql2 stays silent about statements cut off by our own close: fail them here.
      this.notify(closedUnder());
      cutOff();
    } else {
      this.raw.end(() => {});
      // A server that never answers the quit is cut off.
      setTimeout(cutOff, 2_000).unref();
    }
    this.broken = true;
    return closed;
  }
}

/** A statement the server did not answer in time (its connection is then abandoned). */
function unanswered(ms: number): ConnectorError {
  return new ConnectorError(
    `The server did not answer within ${ms} ms; the connection was abandoned (what the server did with the statement is unknown)`,
    {
      code: 'QUERY_TIMEOUT',
      category: 'timeout',
      retryable: true,
      hint: 'Check that the server is up and responsive (not paused or overloaded), or raise read_timeout',
    },
  );
}

function closedUnder(): Error {
  return Object.assign(new Error('The connection was closed while a statement was running'), {
    code: 'PROTOCOL_CONNECTION_LOST',
    fatal: true,
  });
}
