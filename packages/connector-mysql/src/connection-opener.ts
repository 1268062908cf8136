/**
 * Opens server connections for one configured alias: the driver options (TLS, flags), the handshake, the session
 * setup every connection gets (time zone, escaping) and the read-only layers' own; and KILL from a short-lived
 * second connection, the only way to stop what a connection runs.
 */
import { readFile } from 'node:fs/promises';
import { ConnectorError, withTimeout } from '@osiris/core';
import mysql, { type Connection, type ConnectionOptions } from 'mysql2';
import { type MysqlConfig, usesTls } from './config.js';
import { classifyMysqlError, type ErrorContext } from './errors.js';
import type { ReadOnlyLayers } from './read-only/server-layers.js';
import { ServerConnection } from './server-connection.js';
import { sessionTimeZone, UTC } from './values.js';

/** Opens the connections of one alias; the driver options are read (CA file included) once. */
export class ConnectionOpener {
  private options: Promise<ConnectionOptions> | undefined;
  /** Connections still in their handshake. */
  private readonly pending = new Set<Connection>();

  constructor(
    private readonly config: MysqlConfig,
    /** Where errors say they happened. */
    readonly context: ErrorContext,
    /** A read-only connection's layers: its client flags and session settings are applied here. */
    private readonly readOnly?: ReadOnlyLayers,
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
  async open(): Promise<ServerConnection> {
    const raw = await this.connect();
    // Pinned per session: `local` follows the process's offset at the time the session opens.
    const session = new ServerConnection(raw, sessionTimeZone(this.config.timezone));
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
  async close(session: ServerConnection, force: boolean): Promise<void> {
    if (force && !session.broken) await this.kill('CONNECTION', session.threadId).catch(() => {});
    await session.close(force);
  }

  private async kill(what: 'QUERY' | 'CONNECTION', threadId: number): Promise<void> {
    const raw = await this.connect();
    const session = new ServerConnection(raw, UTC);
    // A server that stops answering must not keep the kill (and the session it is for) waiting forever.
    session.statementTimeoutMs = this.config.connect_timeout * 1000;
    try {
      await session.run(`KILL ${what} ?`, [threadId]);
    } finally {
      await session.close(false);
    }
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

  private async prepare(session: ServerConnection): Promise<void> {
    // Parameters are escaped with backslashes; a session in NO_BACKSLASH_ESCAPES would misread them.
    await session.run(
      "SET SESSION time_zone = ?, SESSION sql_mode = REPLACE(REPLACE(@@SESSION.sql_mode, 'NO_BACKSLASH_ESCAPES', ''), ',,', ',')",
      [session.timeZone],
    );
    await this.readOnly?.prepareSession(session);
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
      // Local files are offered only through LOAD DATA's stream factory (and never by a read-only connection).
      // Affected rows count changed rows, as the mysql client does (an upsert can then tell inserts from updates).
      flags: ['-MULTI_STATEMENTS', '-FOUND_ROWS', ...(this.readOnly?.clientFlags ?? [])],
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
