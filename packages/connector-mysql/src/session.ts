import { readFile } from 'node:fs/promises';
import type { Socket } from 'node:net';
import type { Readable } from 'node:stream';
import { ConnectorError, withTimeout } from '@osiris/core';
import mysql, {
  type Connection,
  type ConnectionOptions,
  type FieldPacket,
  type QueryOptions,
  type TypeCast,
} from 'mysql2';
import { type MysqlConfig, usesTls } from './config.js';
import { classifyMysqlError, type ErrorContext } from './errors.js';
import { sessionTimeZone, UTC, type ValueMode, valueCaster } from './values.js';

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
export class Session {
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
    /** The mysql2 connection. */
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

  /** Round trip without a statement (COM_PING). */
  ping(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.broken = true;
        reject(new Error('ping timed out'));
      }, timeoutMs);
      this.raw.ping((error) => {
        clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      });
    });
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

/** A server that completed the handshake but not the session setup within connect_timeout. */
function setupTimedOut(ms: number): ConnectorError {
  return new ConnectorError(
    `The server did not complete the session setup within ${ms} ms (connect_timeout)`,
    {
      code: 'CONNECT_TIMEOUT',
      category: 'timeout',
      retryable: true,
      hint: 'Check that the server is up and responsive (not paused or overloaded), or raise connect_timeout',
    },
  );
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

/** What every session of a connection shares: options, the zone, and the server flavour once known. */
export class SessionFactory {
  private options: Promise<ConnectionOptions> | undefined;
  private flavour: Promise<'mariadb' | 'mysql'> | undefined;
  /** Connections still in their handshake. */
  private readonly pending = new Set<Connection>();

  constructor(
    private readonly config: MysqlConfig,
    /** Where errors say they happened. */
    readonly context: ErrorContext,
  ) {}

  /** Bytes per character of the connection charset (for column lengths in metadata). */
  get bytesPerChar(): number {
    const charset = this.config.charset.toLowerCase();
    if (charset.startsWith('utf8mb4')) return 4;
    if (charset.startsWith('utf8')) return 3;
    if (charset.startsWith('utf16') || charset.startsWith('ucs2')) return 2;
    return charset.startsWith('utf32') ? 4 : 1;
  }

  /** Opens a connection and prepares its session (zone, escaping, and the read-only layers). */
  async open(): Promise<Session> {
    const raw = await this.connect();
    // Pinned per session: `local` follows the process's offset at the time the session opens.
    const session = new Session(raw, sessionTimeZone(this.config.timezone));
    // The handshake is bounded by mysql2's connectTimeout; the session setup after it by the same limit.
    const ms = this.config.connect_timeout * 1000;
    try {
      await withTimeout(() => this.prepare(session), {
        ms,
        timeoutError: () => session.abandon(setupTimedOut(ms)),
      });
    } catch (error) {
      await session.close(true);
      throw classifyMysqlError(error, this.context);
    }
    return session;
  }

  /** Asks the server to stop the statement running on `threadId` (from a separate, short-lived connection). */
  killQuery(threadId: number): Promise<void> {
    return this.kill('QUERY', threadId);
  }

  /**
   * Closes a session; one that may be running something (`force`) is also killed on the server, so the
   * process list holds none of ours once the pool is closed.
   */
  async close(session: Session, force: boolean): Promise<void> {
    if (force && !session.broken) await this.kill('CONNECTION', session.threadId).catch(() => {});
    await session.close(force);
  }

  private async kill(what: 'QUERY' | 'CONNECTION', threadId: number): Promise<void> {
    const raw = await this.connect();
    const session = new Session(raw, UTC);
    // A server that stops answering must not keep the kill (and the session it is for) waiting forever.
    session.statementTimeoutMs = this.config.connect_timeout * 1000;
    try {
      await session.run(`KILL ${what} ?`, [threadId]);
    } finally {
      await session.close(false);
    }
  }

  /** MariaDB or MySQL (their statement time limits differ). */
  serverFlavour(session: Session): Promise<'mariadb' | 'mysql'> {
    this.flavour ??= session
      .run('SELECT VERSION() AS version')
      .then(({ rows }) =>
        (rows as Array<{ version: string }>)[0]?.version.includes('MariaDB') ? 'mariadb' : 'mysql',
      );
    this.flavour.catch(() => {
      this.flavour = undefined;
    });
    return this.flavour;
  }

  private async connect(): Promise<Connection> {
    this.options ??= this.connectionOptions();
    const options = await this.options;
    return new Promise<Connection>((resolve, reject) => {
      const raw = mysql.createConnection(options);
      this.pending.add(raw);
      let settled = false;
      // A failed connection may report more than one error; every one must find a listener.
      const onError = (error: unknown) => {
        if (settled) return;
        settled = true;
        this.pending.delete(raw);
        raw.removeListener('connect', onConnect);
        raw.destroy();
        reject(classifyMysqlError(error, this.context));
      };
      const onConnect = () => {
        settled = true;
        this.pending.delete(raw);
        raw.removeListener('error', onError);
        resolve(raw);
      };
      raw.on('error', onError);
      raw.once('connect', onConnect);
    });
  }

  /** Fails every connection still in its handshake (used when the pool closes). */
  abortOpens(): void {
    for (const raw of this.pending) {
      raw.emit(
        'error',
        new ConnectorError('The pool closed while this connection was opening', {
          code: 'CONNECTION_CLOSED',
          category: 'internal',
        }),
      );
    }
  }

  private async prepare(session: Session): Promise<void> {
    const { config } = this;
    // Parameters are escaped with backslashes; a session in NO_BACKSLASH_ESCAPES would misread them.
    const assignments = [
      'time_zone = ?',
      "sql_mode = REPLACE(REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', ''), ',,', ',')",
    ];
    const values: unknown[] = [session.timeZone];
    if (config.read_only) {
      if ((await this.serverFlavour(session)) === 'mariadb') {
        assignments.push('max_statement_time = ?');
        values.push(config.read_timeout);
      } else {
        assignments.push('max_execution_time = ?');
        values.push(Math.round(config.read_timeout * 1000));
      }
    }
    await session.run(`SET ${assignments.map((item) => `SESSION ${item}`).join(', ')}`, values);
    if (config.read_only) await session.run('SET SESSION TRANSACTION READ ONLY');
  }

  private async connectionOptions(): Promise<ConnectionOptions> {
    const { config } = this;
    return {
      host: config.host,
      port: config.port,
      user: config.username,
      password: config.password,
      database: config.database,
      charset: config.charset,
      connectTimeout: Math.round(config.connect_timeout * 1000),
      timezone: config.timezone,
      ssl: usesTls(config) ? await this.tlsOptions() : undefined,
      supportBigNumbers: true,
      bigNumberStrings: true,
      decimalNumbers: false,
      jsonStrings: true,
      dateStrings: true,
      multipleStatements: false,
      // Read-only connections never offer the server local files; others only through LOAD DATA's stream factory.
      // Affected rows count changed rows, as the mysql client does (an upsert can then tell inserts from updates).
      flags: ['-MULTI_STATEMENTS', '-FOUND_ROWS', ...(config.read_only ? ['-LOCAL_FILES'] : [])],
      enableKeepAlive: true,
      disableEval: false,
    };
  }

  private async tlsOptions(): Promise<ConnectionOptions['ssl']> {
    const { config } = this;
    const verify = config.ssl_verify_identity ?? true;
    return {
      ca: config.ssl_ca === undefined ? undefined : await readCa(config.ssl_ca),
      rejectUnauthorized: verify || config.ssl_ca !== undefined,
      ...(verify ? {} : { checkServerIdentity: () => undefined }),
    };
  }
}

async function readCa(value: string): Promise<string> {
  if (value.includes('-----BEGIN')) return value;
  try {
    return await readFile(value, 'utf8');
  } catch (error) {
    throw new ConnectorError(`Cannot read ssl_ca file ${value}: ${(error as Error).message}`, {
      code: 'CONFIG_INVALID',
      category: 'config',
      hint: 'Set ssl_ca to the PEM text of the CA certificate or to the path of a readable PEM file',
      cause: error,
    });
  }
}
