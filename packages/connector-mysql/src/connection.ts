import {
  type CheckOptions,
  type CheckReport,
  type ColumnInfo,
  type Connection,
  ConnectorError,
  type DiscoveredResource,
  type ReadRequestBase,
  type Row,
  type RowBatchStream,
} from '@osiris/core';
import type { FieldPacket } from 'mysql2';
import type { MysqlConfig } from './config.js';
import { ConnectionOpener } from './connection-opener.js';
import { discoverSchema, tableColumns, tableNotFound } from './discover.js';
import { type CallLimits, Executor } from './executor.js';
import { Pool } from './pool.js';
import { type DescribedStatement, streamRows } from './read.js';
import { ReadOnlyLayers } from './read-only/server-layers.js';
import type { QueryValues, ServerConnection } from './server-connection.js';
import { type Statement, selectStatement, type TableSelection } from './sql.js';
import { describeFields, type ValueMode } from './values.js';
import { type MysqlWriteRequest, type MysqlWriteResult, writeRows } from './write/index.js';

/** Options of `query()`. */
export interface QueryOptions extends CallLimits {
  /** How values are decoded (default `typed`, see the README's value mapping). */
  values?: ValueMode;
}

/** Rows and column metadata of a statement; the counts of one that changes data. */
export interface QueryResult<R extends Row = Row> {
  /** Rows (empty for statements without a result set). */
  rows: R[];
  /** Column metadata (empty for statements without a result set). */
  columns: ColumnInfo[];
  /** Rows changed by an INSERT/UPDATE/DELETE. */
  affectedRows?: number;
  /** AUTO_INCREMENT value of an INSERT. */
  insertId?: number;
}

/** A read of a statement's rows or of a table. */
export type MysqlReadRequest = ReadRequestBase &
  ({ query: string; params?: readonly unknown[] } | (TableSelection & { query?: undefined })) & {
    /** How values are decoded (default `typed`). */
    values?: ValueMode;
    /** Give up (and kill the statement) after this long in total; stalls are bounded by read_timeout anyway. */
    timeoutMs?: number;
  };

/**
 * A pool of MySQL/MariaDB connections for one configured alias. Every call goes the same way: `executor.run`
 * takes a pooled connection within the call's limits and runs the call's statements on it
 * (`ServerConnection.run`, or `.stream` for `read()`); a read-only connection's rules are all in `readOnly`.
 */
export class MysqlConnection implements Connection<MysqlReadRequest, MysqlWriteRequest> {
  /** Whether only reading statements are allowed. */
  readonly readOnly: boolean;
  /** The read-only connection's layers, in the order a call meets them; undefined for a read-write connection. */
  private readonly layers: ReadOnlyLayers | undefined;
  private readonly opener: ConnectionOpener;
  private readonly pool: Pool<ServerConnection>;
  private readonly executor: Executor;
  private closing: Promise<void> | undefined;

  constructor(private readonly config: MysqlConfig) {
    this.readOnly = config.read_only;
    this.layers = config.read_only ? new ReadOnlyLayers(config) : undefined;
    this.opener = new ConnectionOpener(
      config,
      { server: `${config.host}:${config.port}`, database: config.database },
      this.layers,
    );
    this.pool = new Pool<ServerConnection>(
      {
        open: () => this.opener.open(),
        close: (connection, force) => this.opener.close(connection, force),
        ping: (connection) => connection.ping(config.connect_timeout * 1000),
        isUsable: (connection) => !connection.broken,
        abortOpens: () => this.opener.abortOpens(),
      },
      {
        size: config.pool_size,
        overflow: config.max_overflow,
        recycleMs: config.pool_recycle * 1000,
        prePingIdleMs: config.pool_pre_ping ? PRE_PING_IDLE_MS : undefined,
        acquireTimeoutMs: config.pool_timeout * 1000,
      },
    );
    this.executor = new Executor(this.pool, this.opener, this.layers);
  }

  /** Proves the server answers with these credentials: version, database, TLS cipher, round-trip latency. */
  async check(options: CheckOptions = {}): Promise<CheckReport> {
    const limits = {
      timeoutMs: options.timeoutMs ?? this.config.read_timeout * 1000,
      signal: options.signal,
    };
    return this.executor.run(limits, async (connection) => {
      const started = performance.now();
      const { rows } = await connection.run(
        'SELECT VERSION() AS version, DATABASE() AS db, CURRENT_USER() AS user, @@read_only AS serverReadOnly',
      );
      const latencyMs = Math.round((performance.now() - started) * 100) / 100;
      const { version, db, user, serverReadOnly } = (rows as Row[])[0] as Record<string, unknown>;
      const tls = connection.tlsCipher ?? null;
      const product = String(version).includes('MariaDB') ? 'MariaDB' : 'MySQL';
      return {
        message: `${product} ${String(version).split('-')[0]}${db ? `, database ${db}` : ''}${tls ? `, TLS ${tls}` : ''}`,
        details: {
          version,
          database: db,
          user,
          tls,
          latencyMs,
          readOnly: this.readOnly,
          serverReadOnly: Number(serverReadOnly) === 1,
        },
      };
    });
  }

  /** Runs one statement and returns all its rows (use `read` for large results). */
  async query<R extends Row = Row>(
    sql: string,
    params?: readonly unknown[],
    options: QueryOptions = {},
  ): Promise<QueryResult<R>> {
    const limits = {
      timeoutMs: options.timeoutMs ?? this.config.read_timeout * 1000,
      signal: options.signal,
    };
    const { rows, fields } = await this.executor.run(limits, async (connection) => {
      const statement = await this.guard(connection, { sql, values: (params ?? []) as unknown[] });
      return connection.run(statement.sql, statement.values as QueryValues, { values: options.values });
    });
    if (fields === undefined) {
      const ok = rows as { affectedRows?: number; insertId?: number };
      return { rows: [], columns: [], affectedRows: ok.affectedRows, insertId: ok.insertId };
    }
    return {
      rows: rows as R[],
      columns: describeFields(fields as FieldPacket[], this.opener.bytesPerChar, options.values),
    };
  }

  /**
   * Streams the rows of a statement or a table as batches (bounded memory, backpressure, early `break` releases):
   * row objects to iterate, and the fast lane (`positional()`) for a sink such as another connector's write.
   */
  read(request: MysqlReadRequest): RowBatchStream<Row> {
    const values = request.values ?? 'typed';
    let prepare: (connection: ServerConnection) => Promise<DescribedStatement>;
    if (request.query !== undefined) {
      const statement = { sql: request.query, values: [...(request.params ?? [])] };
      prepare = (connection) => this.guard(connection, statement);
    } else {
      const selection = request as TableSelection;
      // Validates names and limit now, so a bad request fails at the call.
      selectStatement(selection);
      prepare = async (connection) => {
        const { statement, columns } = await this.tableRead(connection, selection);
        return { ...(await this.guard(connection, statement)), ...(values === 'typed' && { columns }) };
      };
    }
    return streamRows(this.executor, prepare, {
      batchSize: request.batchSize ?? 1_000,
      values,
      timeoutMs: request.timeoutMs,
      signal: request.signal,
      stallTimeoutMs: this.config.read_timeout * 1000,
      bytesPerChar: this.opener.bytesPerChar,
    });
  }

  /**
   * A table read: its columns from information_schema (logical types with ENUM/SET members and MariaDB's
   * JSON), every column named, FLOAT selected as DOUBLE (the text protocol would round it to 6 digits).
   */
  private async tableRead(
    connection: ServerConnection,
    selection: TableSelection,
  ): Promise<{ statement: Statement; columns: ColumnInfo[] }> {
    const schema = await this.schema(connection);
    const all = (await tableColumns(connection, schema, selection.table)).get(selection.table);
    if (all === undefined) {
      throw tableNotFound(schema, selection.table, 'Check the table name (discover() lists the tables)');
    }
    const byName = new Map(all.map((column) => [column.name, column]));
    const names = selection.columns?.length ? selection.columns : all.map((column) => column.name);
    const statement = selectStatement({ ...selection, columns: names }, (quoted, name) => {
      const type = byName.get(name)?.type;
      return type?.kind === 'float' && type.bits === 32 ? `CAST(${quoted} AS DOUBLE)` : undefined;
    });
    // Unknown names stay in the statement: the server's error names them.
    const columns = names.flatMap((name) => {
      const column = byName.get(name);
      return column === undefined
        ? []
        : [
            {
              name,
              type: column.type,
              nativeType: column.nativeType,
              nullable: column.nullable,
              primaryKey: column.primaryKey,
            },
          ];
    });
    return { statement, columns };
  }

  /** Writes batches of rows into a table: append, upsert or atomic replace (see `MysqlWriteRequest`). */
  async write(request: MysqlWriteRequest): Promise<MysqlWriteResult> {
    this.layers?.refuseWrite();
    // An abort stops the write at its next statement or batch, so that its error tells what was committed.
    return this.executor.run(
      { signal: request.signal },
      async (connection, signal) => {
        // A write may run for long, but no statement of it waits longer than read_timeout for the server.
        connection.statementTimeoutMs = this.config.read_timeout * 1000;
        try {
          const schema = await this.schema(connection);
          return await writeRows({ connection, schema, signal }, request);
        } finally {
          connection.statementTimeoutMs = undefined;
        }
      },
      { untilSettled: true },
    );
  }

  /** Tables and views of the database, with row estimates, columns and primary keys. */
  async discover(): Promise<DiscoveredResource[]> {
    return this.executor.run({ timeoutMs: this.config.read_timeout * 1000 }, async (connection) =>
      discoverSchema(connection, await this.schema(connection)),
    );
  }

  /** Pool counts: open, idle and busy connections, opens under way, callers waiting. */
  poolStats(): ReturnType<Pool<ServerConnection>['stats']> {
    return this.pool.stats();
  }

  /** Ends every connection of the pool. Calling it again does nothing more. */
  close(): Promise<void> {
    this.closing ??= this.pool.close();
    return this.closing;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** A caller's statement as it is sent: on a read-only connection, bound and passed by the guard. */
  private guard(connection: ServerConnection, statement: Statement): Promise<Statement> {
    return this.layers?.guard(connection, statement) ?? Promise.resolve(statement);
  }

  /** The configured database, else the session's current one. */
  private async schema(connection: ServerConnection): Promise<string> {
    if (this.config.database !== undefined) return this.config.database;
    const { rows } = await connection.run('SELECT DATABASE() AS db');
    const db = (rows as Array<{ db: string | null }>)[0]?.db;
    if (!db) {
      throw new ConnectorError('No database selected', {
        code: 'CONFIG_INVALID',
        category: 'config',
        hint: 'Set database in the connection config (or in its url)',
      });
    }
    return db;
  }
}

/** A connection idle longer than this is pinged before reuse (pool_pre_ping). */
const PRE_PING_IDLE_MS = 5_000;
