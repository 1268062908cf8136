/** A pool of PostgreSQL connections for one configured alias: the `Connection` a runner gets. */
import {
  type CheckOptions,
  type CheckReport,
  type Connection,
  ConnectorError,
  type DiscoveredResource,
  type ReadRequestBase,
  type Row,
  type RowBatchStream,
} from '@osiris/core';
import type pg from 'pg';
import { fieldColumns } from './catalog.js';
import type { PostgresConfig } from './config.js';
import { discoverSchema } from './discover.js';
import { inlineParameters } from './parameters.js';
import { createPool } from './pool.js';
import { type QueryResult, runQuery } from './query.js';
import { type CopyPlan, copyRead } from './read.js';
import { validateReadOnly } from './read-only/index.js';
import { type CallLimits, type Session, Sessions } from './session.js';
import { selectStatement, type TableSelection } from './sql.js';
import { type PostgresWriteRequest, type PostgresWriteResult, writeRows } from './write/index.js';

/** How long close() lets connections end by themselves before it cuts them. */
const CLOSE_GRACE_MS = 200;

/** A read of a query's rows or of a table's. */
export type PostgresReadRequest = ReadRequestBase &
  (
    | {
        /** One SELECT, WITH … SELECT, VALUES or TABLE statement. */
        query: string;
        /** Values of its `$1`, `$2`… placeholders. */
        params?: readonly unknown[];
      }
    | (TableSelection & { query?: undefined })
  ) & {
    /** Give up (and cancel the COPY on the server) after this long in total. */
    timeoutMs?: number;
  };

/** Limits of one `query()` call. */
export type QueryOptions = CallLimits;

/** Connections to one PostgreSQL database, pooled. */
export class PostgresConnection implements Connection<PostgresReadRequest, PostgresWriteRequest> {
  /** Whether only reading statements are allowed. */
  readonly readOnly: boolean;
  /** Schema that table names refer to. */
  readonly schema: string;
  private readonly pool: pg.Pool;
  private readonly destroySockets: () => void;
  private readonly sessions: Sessions;
  private closing: Promise<void> | undefined;

  constructor(config: PostgresConfig) {
    this.readOnly = config.read_only;
    this.schema = config.schema;
    ({ pool: this.pool, destroySockets: this.destroySockets } = createPool(config));
    // An idle client's socket error would otherwise be an unhandled 'error' event; the pool drops that client.
    this.pool.on('error', () => undefined);
    this.sessions = new Sessions({
      pool: this.pool,
      host: config.host,
      port: config.port,
      resetOnRelease: config.read_only,
    });
  }

  /** Proves the server answers with these credentials: version, database, user, TLS, round-trip latency. */
  async check(options: CheckOptions = {}): Promise<CheckReport> {
    return this.sessions.use(options, async (session) => {
      const started = performance.now();
      const { rows } = await session.run(
        `SELECT current_setting('server_version'), current_database(), current_user,
                COALESCE((SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()), false)::text,
                (SELECT version FROM pg_stat_ssl WHERE pid = pg_backend_pid()),
                current_setting('transaction_read_only'), pg_is_in_recovery()::text,
                EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1)::text`,
        [this.schema],
      );
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      const [version, database, user, ssl, tlsVersion, readOnly, recovery, schemaExists] =
        rows[0] as string[];
      if (schemaExists !== 'true') {
        throw new ConnectorError(
          `Schema ${JSON.stringify(this.schema)} does not exist in database ${database}`,
          {
            code: 'SCHEMA_NOT_FOUND',
            category: 'not_found',
            hint: 'Set schema to an existing schema (public by default)',
          },
        );
      }
      const tls = ssl === 't' || ssl === 'true' ? (tlsVersion ?? 'on') : null;
      return {
        message: `PostgreSQL ${version}, database ${database}${tls ? `, TLS ${tls}` : ''}${this.readOnly ? ', read-only' : ''}`,
        details: {
          version,
          database,
          user,
          schema: this.schema,
          tls,
          latencyMs,
          readOnly: readOnly === 'on',
          standby: recovery === 'true',
        },
      };
    });
  }

  /**
   * Runs one statement (the extended protocol: a second statement in `sql` is refused by the server) and
   * returns all its rows as canonical values; `read` streams large results. Timeout and abort cancel the
   * statement on the server. On a read-only connection the statement is checked first and runs in a
   * read-only transaction that is rolled back.
   */
  async query<R extends Row = Row>(
    sql: string,
    params: readonly unknown[] = [],
    options: QueryOptions = {},
  ): Promise<QueryResult<R>> {
    if (this.readOnly) validateReadOnly(sql);
    const limits = { timeoutMs: options.timeoutMs, signal: options.signal };
    return this.sessions.use(limits, (session) => {
      const run = () => runQuery<R>(session, sql, params);
      return this.readOnly ? session.readOnlyTransaction(run) : run();
    });
  }

  /** Streams a query's or a table's rows through COPY … TO STDOUT (bounded memory; `break` cancels and releases). */
  read(request: PostgresReadRequest): RowBatchStream<Row> {
    const table = request.query === undefined ? (request as TableSelection) : undefined;
    const source = table ? `PostgreSQL table ${this.schema}.${table.table}` : 'PostgreSQL query';
    return copyRead(this.sessions, {
      batchSize: request.batchSize ?? 1_000,
      timeoutMs: request.timeoutMs,
      signal: request.signal,
      readOnly: this.readOnly,
      source,
      plan: (session) => this.plan(session, request),
    });
  }

  /** Writes batches into a table: append (COPY), upsert (COPY + INSERT … ON CONFLICT) or atomic replace. */
  async write(request: PostgresWriteRequest): Promise<PostgresWriteResult> {
    if (this.readOnly) {
      throw new ConnectorError('This connection is read-only; writes are refused', {
        code: 'READ_ONLY_VIOLATION',
        category: 'read_only',
        hint: 'Use a connection without read_only: true for writes',
      });
    }
    return this.sessions.use({ signal: request.signal }, (session) =>
      writeRows(session, this.schema, request),
    );
  }

  /** Tables, views and materialized views of the schema, with row estimates, columns and primary keys. */
  async discover(): Promise<DiscoveredResource[]> {
    return this.sessions.use({}, (session) => discoverSchema(session, this.schema));
  }

  /** Pool counts: connections open, idle, and callers waiting for one. */
  poolStats(): { total: number; idle: number; waiting: number } {
    return { total: this.pool.totalCount, idle: this.pool.idleCount, waiting: this.pool.waitingCount };
  }

  /**
   * Ends every connection of the pool: politely first; what has not ended after a moment (a connect still
   * waiting on a silent server, a call still running) is cut. Calling it again does nothing more.
   */
  close(): Promise<void> {
    this.closing ??= (async () => {
      const ended = this.pool.end();
      const timer = setTimeout(this.destroySockets, CLOSE_GRACE_MS);
      try {
        await ended;
      } finally {
        clearTimeout(timer);
      }
    })();
    return this.closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** The COPY a read runs and its columns, described by the server from the statement itself. */
  private async plan(session: Session, request: PostgresReadRequest): Promise<CopyPlan> {
    const statement =
      request.query !== undefined
        ? { text: request.query, values: [...(request.params ?? [])] }
        : selectStatement(this.schema, request as TableSelection);
    if (this.readOnly) validateReadOnly(statement.text);
    const text = inlineParameters(statement.text, statement.values);
    // The extended protocol proves `text` is one statement before COPY's simple protocol carries it.
    const described = await session.run(`SELECT * FROM (\n${text}\n) AS osiris_read LIMIT 0`);
    const columns = await fieldColumns(session.client, described.fields, request.query === undefined);
    return { copy: `COPY (\n${text}\n) TO STDOUT`, columns };
  }
}
