import {
  type CanonicalValue,
  type ColumnInfo,
  ConnectorError,
  type LogicalType,
  type PositionalBatch,
  positionalConverter,
  type Row,
  type SinkColumn,
  sinkInput,
  type WriteColumn,
  type WriteProgress,
  type WriteRequestBase,
  type WriteResult,
  withTimeout,
} from '@osiris/core';
import { type TableColumn, tableColumns, tableNotFound } from '../discover.js';
import { classifyMysqlError, isFatal } from '../errors.js';
import type { Session } from '../session.js';
import { quoteIdentifier } from '../sql.js';
import { knownLogicalType } from '../types.js';
import { UTC } from '../values.js';
import { BatchReader } from './batch-reader.js';
import { claimCompanions, dropStaleCompanions, releaseCompanions } from './companions.js';
import { type CreatedColumn, createdColumns, createTableStatement } from './ddl.js';
import { spell, spellingFor } from './encode.js';
import { type BatchOutcome, insertBatch } from './insert.js';
import { checkLimits, limitFor } from './limits.js';
import { loadRows } from './load-data.js';

/** How rows meet what the table already holds. */
export type WriteMode = 'append' | 'replace' | 'upsert';

/** How rows travel: multi-row INSERTs, `LOAD DATA LOCAL INFILE`, or the latter when the server allows it. */
export type WriteMethod = 'auto' | 'insert' | 'load-data';

/** A write into a MySQL table. */
export interface MysqlWriteRequest<R extends Row = Row> extends WriteRequestBase<R> {
  /** Table in the connection's database. */
  table: string;
  /** `append` (default) adds rows; `upsert` inserts or updates by key; `replace` swaps in the new content atomically. */
  mode?: WriteMode;
  /** Key columns: the primary key of a created table (default: the source's key columns), the columns an upsert leaves alone. */
  primaryKey?: string | readonly string[];
  /** Create the table from the columns' logical types (declared, the source's, or the first batch's) when it does not exist. */
  createIfMissing?: boolean;
  /** Rows per INSERT statement (default 1,000; fewer when max_allowed_packet says so). */
  batchSize?: number;
  /** Transport (default `auto`: LOAD DATA for append/replace when the server allows LOCAL INFILE). */
  method?: WriteMethod;
}

/** What a MySQL write did; `method` says which path ran. */
export interface MysqlWriteResult extends WriteResult {
  /** `insert` or `load-data`. */
  method: 'insert' | 'load-data';
}

/** What a write runs with. */
export interface WriteContext {
  /** The session every statement of the write runs on. */
  session: Session;
  /** Database the table lives in. */
  schema: string;
  /** Stops the write between statements (the running one is killed by the caller). */
  signal: AbortSignal;
}

const DEFAULT_ROWS_PER_INSERT = 1_000;

/** Where a write's statements go: the user's table, or the shadow a replace swaps in. */
interface Destination {
  /** The table the statements write into. */
  target: string;
  /** `shadow`: a replace's copy, whose failures leave the user's table unchanged. */
  kind: 'table' | 'shadow';
  /** The user's table, as errors name it. */
  table: string;
  /** INSERT … ON DUPLICATE KEY UPDATE (re-running it is safe). */
  upsert: boolean;
}

/** Positional canonical rows of a batch, checked and spelled for the table's columns. */
type Prepared = CanonicalValue[][];

interface Plan {
  context: WriteContext;
  request: MysqlWriteRequest;
  reader: BatchReader<CanonicalValue[]>;
  /** The batch `reader.peek()` gave, and its prepared rows (checked before any table is created). */
  first: { batch: readonly CanonicalValue[][]; rows: Prepared } | undefined;
  /** Converts and checks a batch in place; throws VALUE_* naming row and column before anything of it is sent. */
  prepare: (batch: PositionalBatch, rowsBefore: number) => Prepared;
  /** Whether the rows come through the source's fast lane. */
  fastLane: boolean;
  columns: readonly string[];
  keyColumns: readonly string[];
  method: 'insert' | 'load-data';
  batchSize: number;
  maxPacketBytes: number;
  started: number;
}

/** Writes the request's rows; see `MysqlWriteRequest` for the modes and what each guarantees. */
export async function writeRows(
  context: WriteContext,
  request: MysqlWriteRequest,
): Promise<MysqlWriteResult> {
  const started = performance.now();
  const mode = request.mode ?? 'append';
  if (!['append', 'replace', 'upsert'].includes(mode)) {
    throw invalid(`Unknown write mode ${JSON.stringify(mode)}`, "Use 'append', 'replace' or 'upsert'");
  }
  const { session, schema } = context;
  const table = request.table;
  quoteIdentifier(table, 'table name');
  const primaryKey =
    typeof request.primaryKey === 'string' ? [request.primaryKey] : [...(request.primaryKey ?? [])];
  // The columns (declared, the source's, or the first batch's) and the rows as positional batches in their order.
  const input = await sinkInput({ columns: request.columns?.map(withMysqlType), rows: request.rows });
  const reader = new BatchReader(input.batches);
  try {
    const sample = await reader.peek();
    const columns = input.columns;
    for (const key of primaryKey) {
      if (!columns.some((column) => column.name === key)) {
        throw invalid(
          `primaryKey column ${JSON.stringify(key)} is not among the written columns`,
          'Name key columns the rows carry',
        );
      }
    }
    const existing = (await tableColumns(session, schema, table)).get(table);
    if (existing === undefined && !request.createIfMissing) {
      throw tableNotFound(
        schema,
        table,
        'Create it first, or pass createIfMissing: true to derive it from the rows',
      );
    }
    if (existing !== undefined) assertColumnsExist(table, columns, existing);
    const keyColumns =
      primaryKey.length > 0 ? primaryKey : (existing ?? []).filter((c) => c.primaryKey).map((c) => c.name);
    if (mode === 'upsert') assertUpsertable(table, existing, primaryKey);
    if (columns.length === 0) {
      if (mode !== 'replace' || existing === undefined) return emptyResult(started, input.fastLane);
    }
    // A created table keys on primaryKey, else on the columns the source marks as its key.
    const createdKey =
      primaryKey.length > 0 ? primaryKey : columns.filter((column) => column.primaryKey).map((c) => c.name);
    // TYPE_UNSUPPORTED is raised here, before any statement.
    const created = existing === undefined ? createdColumns(columns, createdKey) : undefined;
    const prepare = batchPreparer(table, columns, existing ?? (created as CreatedColumn[]));
    // The first batch is checked before a table is created or anything is written.
    const first =
      sample.length > 0 ? { batch: sample, rows: prepare(sample as PositionalBatch, 0) } : undefined;
    const server = await serverLimits(session);
    const method = chooseMethod(request.method ?? 'auto', mode, server.localInfile);
    const plan: Plan = {
      context,
      request,
      reader,
      first,
      prepare,
      fastLane: input.fastLane,
      columns: columns.map((column) => column.name),
      keyColumns,
      method,
      batchSize: request.batchSize ?? DEFAULT_ROWS_PER_INSERT,
      maxPacketBytes: server.maxPacketBytes,
      started,
    };
    return await inUtcSession(session, async () => {
      if (mode === 'replace') {
        return replaceTable(plan, existing, (name) =>
          createTableStatement(name, created as CreatedColumn[], createdKey),
        );
      }
      if (created !== undefined) await session.run(createTableStatement(table, created, createdKey));
      return writeBatches(plan, { target: table, kind: 'table', table, upsert: mode === 'upsert' });
    });
  } finally {
    // After an abort the source may be stalled inside its next batch, and an async generator runs its
    // `finally` only once that settles: the source is closed then, without holding the aborted write.
    const closing = reader.close().then(() => input.close());
    if (context.signal.aborted) closing.catch(() => {});
    else await closing;
  }
}

/** A declared column without a logical type takes the one its MySQL `nativeType` spells (`DECIMAL(30,2)`). */
function withMysqlType(column: ColumnInfo): ColumnInfo {
  if (column.type !== undefined || column.nativeType === undefined) return column;
  const type = knownLogicalType(column.nativeType);
  return type === undefined ? column : { ...column, type };
}

/**
 * The function that turns a positional batch (in the write's column order) into the rows the table stores, in
 * place: every value converted to the canonical value of its column's type (core's positionalConverter: no work
 * for a column whose source type fits), checked against what MySQL's own type holds (limits.ts), then spelled
 * for MySQL (encode.ts).
 */
function batchPreparer(
  table: string,
  columns: readonly WriteColumn[],
  targets: ReadonlyArray<TableColumn | CreatedColumn>,
): Plan['prepare'] {
  const sink = `MySQL table ${table}`;
  const byName = new Map(targets.map((target) => [target.name, target]));
  const stored = columns.map((column) => {
    const target = byName.get(column.name) as TableColumn | CreatedColumn;
    // An AUTO_INCREMENT column takes NULL as "the next number".
    const generated = 'extra' in target && /auto_increment/i.test(target.extra);
    return {
      name: column.name,
      type: storedType(target.type, column.type),
      nativeType: target.nativeType,
      nullable: generated || target.nullable !== false,
      source: column.described ? column.type : undefined,
      // A source that describes a column as NOT NULL needs no null look for a NOT NULL target.
      sourceNullable: column.described ? column.nullable : undefined,
      // Created tables size their TEXT columns for 4 bytes a character: no byte check needed.
      charset: 'charset' in target ? target.charset : null,
    };
  });
  const convert = positionalConverter(
    stored.map(
      (column): SinkColumn => ({
        name: column.name,
        target: column.type,
        source: column.source,
        nativeType: column.nativeType,
        nullable: column.nullable,
        sourceNullable: column.sourceNullable,
      }),
    ),
    sink,
  );
  const limited = stored.map((column) => ({
    ...column,
    limit: limitFor(column.type, column.nativeType, column.charset),
  }));
  const spellings = stored.map((column) => spellingFor(column.type, column.nativeType));
  return (batch, rowsBefore) => {
    const rows = convert(batch, rowsBefore);
    checkLimits(rows, limited, rowsBefore, sink);
    spell(rows, spellings);
    return rows;
  };
}

/** MySQL has no boolean: booleans bound for an integer column (TINYINT(1)) are stored as 1 and 0. */
function storedType(target: LogicalType, source: LogicalType): LogicalType {
  return target.kind === 'integer' && source.kind === 'boolean' ? source : target;
}

/**
 * Runs a write with the session in UTC, so that a canonical instant (`…Z`) is the TIMESTAMP text the
 * server reads; the session's own zone is restored after.
 */
async function inUtcSession<T>(session: Session, work: () => Promise<T>): Promise<T> {
  if (session.timeZone === UTC) return work();
  await session.run('SET SESSION time_zone = ?', [UTC]);
  try {
    return await work();
  } finally {
    // A session left in UTC would misread TIMESTAMPs later: if the zone cannot be restored, retire it.
    await session.run('SET SESSION time_zone = ?', [session.timeZone]).catch(() => {
      session.broken = true;
    });
  }
}

/**
 * Writes the rows into `table`: through one LOAD DATA statement in one transaction, or as INSERTs with every
 * source batch in its own transaction (a failed batch is rolled back and ends the write).
 */
function writeBatches(plan: Plan, into: Destination): Promise<MysqlWriteResult> {
  return plan.method === 'load-data' ? loadAll(plan, into) : insertBatches(plan, into);
}

/**
 * Streams every batch through one `LOAD DATA LOCAL INFILE` in one transaction: all rows or none. Each batch is
 * converted and checked as the socket asks for it, so a refused value ends the file and rolls the whole load back.
 */
async function loadAll(plan: Plan, into: Destination): Promise<MysqlWriteResult> {
  const { session, signal } = plan.context;
  let batches = 0;
  let rows = 0;
  /** The batch the source or its check failed in (a server-side rejection belongs to no one batch). */
  let failedBatch: number | undefined;
  // A stalled source must not hold an aborted load open: waiting for its next batch ends with the abort.
  const nextBatch = () => withTimeout(() => plan.reader.next(), { ms: undefined, signal });
  async function* prepared(): AsyncGenerator<Prepared> {
    for (let batch = await nextBatch(); batch !== undefined; batch = await nextBatch()) {
      let values: Prepared;
      try {
        signal.throwIfAborted();
        values = batch === plan.first?.batch ? plan.first.rows : plan.prepare(batch, rows);
      } catch (error) {
        failedBatch = batches + 1;
        throw error;
      }
      yield values;
      batches += 1;
      rows += batch.length;
      plan.request.onProgress?.(progress(batches, rows, plan.started));
    }
  }
  let inserted: number;
  try {
    inserted = await inTransaction(session, () =>
      loadRows(session, prepared(), { table: into.target, columns: plan.columns }),
    );
  } catch (error) {
    throw loadFailed(error, failedBatch, rows, into);
  }
  return {
    rowsWritten: inserted,
    rowsInserted: inserted,
    rowsUpdated: 0,
    batches,
    durationMs: performance.now() - plan.started,
    method: 'load-data',
    fastLane: plan.fastLane,
  };
}

/** Runs every source batch as INSERTs in its own transaction; a failed batch is rolled back and ends the write. */
async function insertBatches(plan: Plan, into: Destination): Promise<MysqlWriteResult> {
  const { session, signal } = plan.context;
  const totals: BatchOutcome = { inserted: 0, updated: 0 };
  let batches = 0;
  let rows = 0;
  let upcoming = plan.reader.next();
  for (let batch = await upcoming; batch !== undefined; batch = await upcoming) {
    // The source prepares the next batch (parses, fetches) while the server stores this one.
    upcoming = plan.reader.next();
    upcoming.catch(() => {});
    signal.throwIfAborted();
    let outcome: BatchOutcome;
    try {
      // A refused value of a later batch is reported like a failed batch: earlier ones stay committed.
      const values = batch === plan.first?.batch ? plan.first.rows : plan.prepare(batch, rows);
      outcome = await inTransaction(session, () =>
        insertBatch(
          session,
          {
            table: into.target,
            columns: plan.columns,
            upsert: into.upsert,
            keyColumns: plan.keyColumns,
            maxPacketBytes: plan.maxPacketBytes,
            maxRows: plan.batchSize,
          },
          values,
        ),
      );
    } catch (error) {
      throw batchFailed(error, batches + 1, rows, batch.length, into);
    }
    batches += 1;
    rows += batch.length;
    totals.inserted += outcome.inserted;
    totals.updated += outcome.updated;
    plan.request.onProgress?.(progress(batches, rows, plan.started));
  }
  return {
    rowsWritten: rows,
    rowsInserted: totals.inserted,
    rowsUpdated: totals.updated,
    batches,
    durationMs: performance.now() - plan.started,
    method: 'insert',
    fastLane: plan.fastLane,
  };
}

/**
 * Loads the rows into a fresh shadow table, then swaps it in with one RENAME TABLE: readers see the old content
 * or the new, never an empty or partial table. On failure before the swap the shadow is dropped and the table
 * is untouched; once the RENAME has committed the replace has succeeded, whatever happens to the old copy
 * (a copy left behind, like a crashed replace's shadow, is dropped by the next replace of the table).
 */
async function replaceTable(
  plan: Plan,
  existing: TableColumn[] | undefined,
  createStatement: (name: string) => string,
): Promise<MysqlWriteResult> {
  const { session, schema } = plan.context;
  const table = plan.request.table;
  const target = quoteIdentifier(table);
  if (existing !== undefined) await assertSwappable(session, schema, table);
  const companions = await claimCompanions(session, table);
  try {
    await dropStaleCompanions(session, schema, table);
    const shadow = quoteIdentifier(companions.shadow);
    const old = quoteIdentifier(companions.old);
    await session.run(
      existing === undefined ? createStatement(companions.shadow) : `CREATE TABLE ${shadow} LIKE ${target}`,
    );
    let result: MysqlWriteResult;
    try {
      result = await writeBatches(plan, { target: companions.shadow, kind: 'shadow', table, upsert: false });
      await swap(
        session,
        existing === undefined ? `${shadow} TO ${target}` : `${target} TO ${old}, ${shadow} TO ${target}`,
      );
    } catch (error) {
      await session.run(`DROP TABLE IF EXISTS ${shadow}`).catch(() => {});
      if (error instanceof CommitUnanswered) throw swapUnanswered(error, table);
      throw error;
    }
    const rowsDeleted = existing === undefined ? 0 : await dropOld(session, old);
    return {
      ...result,
      ...(rowsDeleted !== undefined && { rowsDeleted }),
      durationMs: performance.now() - plan.started,
    };
  } finally {
    await releaseCompanions(session, companions);
  }
}

/** The RENAME of a replace; a connection lost before its answer leaves the swap's fate unknown. */
async function swap(session: Session, renames: string): Promise<void> {
  try {
    await session.run(`RENAME TABLE ${renames}`);
  } catch (error) {
    throw unanswered(session, error);
  }
}

/** Counts and drops the swapped-out copy; after the swap a failure here is left to the next replace's sweep. */
async function dropOld(session: Session, old: string): Promise<number | undefined> {
  try {
    const { rows } = await session.run(`SELECT COUNT(*) AS n FROM ${old}`);
    await session.run(`DROP TABLE ${old}`);
    return Number((rows as Array<{ n: bigint }>)[0]?.n ?? 0);
  } catch {
    return undefined;
  }
}

/** A RENAME the server may or may not have made: the table holds the old content or all the new rows, never a mix. */
function swapUnanswered(error: CommitUnanswered, table: string): ConnectorError {
  return annotated(
    error.lost,
    `the connection broke during the swap: ${table} holds either its old content or all the new rows, never a mix; re-running the replace is safe`,
    {},
  );
}

/** A swap would leave triggers and foreign keys behind with the old table: refuse rather than lose them. */
async function assertSwappable(session: Session, schema: string, table: string): Promise<void> {
  const { rows } = await session.run(
    `SELECT (SELECT COUNT(*) FROM information_schema.TRIGGERS
              WHERE EVENT_OBJECT_SCHEMA = ? AND EVENT_OBJECT_TABLE = ?) AS triggers,
            (SELECT COUNT(*) FROM information_schema.REFERENTIAL_CONSTRAINTS
              WHERE CONSTRAINT_SCHEMA = ? AND (TABLE_NAME = ? OR REFERENCED_TABLE_NAME = ?)) AS foreignKeys`,
    [schema, table, schema, table, table],
  );
  const found = (rows as Array<{ triggers: bigint; foreignKeys: bigint }>)[0];
  if (found !== undefined && (found.triggers > 0n || found.foreignKeys > 0n)) {
    throw new ConnectorError(
      `Table ${table} has triggers or foreign keys, which an atomic replace would drop`,
      {
        code: 'REPLACE_UNSUPPORTED',
        category: 'unsupported',
        hint: 'Use mode upsert, or empty the table yourself and append',
      },
    );
  }
}

function assertColumnsExist(
  table: string,
  columns: readonly ColumnInfo[],
  existing: readonly TableColumn[],
): void {
  const known = new Set(existing.map((column) => column.name));
  const unknown = columns.filter((column) => !known.has(column.name)).map((column) => column.name);
  if (unknown.length > 0) {
    throw new ConnectorError(
      `Table ${table} has no column ${unknown.map((name) => JSON.stringify(name)).join(', ')}`,
      {
        code: 'SCHEMA_MISMATCH',
        category: 'config',
        hint: `The table's columns are ${existing.map((column) => column.name).join(', ')}; rename or drop the others`,
      },
    );
  }
}

function assertUpsertable(
  table: string,
  existing: readonly TableColumn[] | undefined,
  primaryKey: readonly string[],
): void {
  const hasKey = existing
    ? existing.some((column) => column.key === 'PRI' || column.key === 'UNI')
    : primaryKey.length > 0;
  if (!hasKey) {
    throw invalid(
      `Upsert into ${table} needs a primary or unique key`,
      existing ? 'Add a primary key to the table' : 'Pass primaryKey so the created table has one',
    );
  }
}

async function serverLimits(session: Session): Promise<{ maxPacketBytes: number; localInfile: boolean }> {
  const { rows } = await session.run(
    'SELECT @@SESSION.max_allowed_packet AS maxPacket, @@GLOBAL.local_infile AS localInfile',
  );
  const row = (rows as Array<{ maxPacket: unknown; localInfile: unknown }>)[0];
  return { maxPacketBytes: Number(row?.maxPacket ?? 4_194_304), localInfile: Number(row?.localInfile) === 1 };
}

function chooseMethod(wanted: WriteMethod, mode: WriteMode, localInfile: boolean): 'insert' | 'load-data' {
  if (wanted === 'insert') return 'insert';
  if (wanted === 'load-data') {
    if (mode === 'upsert') {
      throw invalid('LOAD DATA cannot upsert', "Use method 'insert' (or 'auto') with mode upsert");
    }
    if (!localInfile) throw localInfileDisabled();
    return 'load-data';
  }
  return mode !== 'upsert' && localInfile ? 'load-data' : 'insert';
}

function localInfileDisabled(): ConnectorError {
  return new ConnectorError('The server does not allow LOAD DATA LOCAL INFILE (local_infile is OFF)', {
    code: 'LOCAL_INFILE_DISABLED',
    category: 'unsupported',
    hint: "Set local_infile=ON on the server, or use method 'insert' / 'auto'",
  });
}

/**
 * Runs `work` in a transaction: committed when it succeeds, rolled back when it throws. A connection lost
 * while the COMMIT is under way leaves the transaction's fate unknown: the server may have committed it before
 * the link broke, so that failure is a `CommitUnanswered`, never "rolled back".
 */
async function inTransaction<T>(session: Session, work: () => Promise<T>): Promise<T> {
  await session.run('START TRANSACTION');
  let value: T;
  try {
    value = await work();
  } catch (error) {
    await session.run('ROLLBACK').catch(() => {});
    throw error;
  }
  try {
    await session.run('COMMIT');
  } catch (error) {
    throw unanswered(session, error);
  }
  return value;
}

/** A failed COMMIT or RENAME as a `CommitUnanswered` when the connection broke or was abandoned before the answer. */
function unanswered(session: Session, error: unknown): unknown {
  return isFatal(error) || session.broken ? new CommitUnanswered(error) : error;
}

/** A COMMIT (or the RENAME of a replace) sent on a connection that broke before the server answered. */
class CommitUnanswered extends Error {
  constructor(readonly lost: unknown) {
    super('The connection was lost before the server answered the COMMIT', { cause: lost });
  }
}

/** The error of a load, saying that none of it stays (one statement in one transaction), or that its fate is unknown. */
function loadFailed(
  error: unknown,
  batch: number | undefined,
  rows: number,
  into: Destination,
): ConnectorError {
  if (error instanceof CommitUnanswered) return fateUnknown(error, into, { firstRow: 1, lastRow: rows });
  const where = batch === undefined ? '' : ` at batch ${batch}`;
  const outcome =
    into.kind === 'shadow'
      ? `the replace failed${where}; table ${into.table} is unchanged`
      : `the load was rolled back${where}; no row of this write is committed`;
  return annotated(error, outcome, { ...(batch !== undefined && { batch }), committedRows: 0 });
}

/** The batch's error, saying what was rolled back and what stays committed, or that the batch's fate is unknown. */
function batchFailed(
  error: unknown,
  batch: number,
  committedRows: number,
  batchRows: number,
  into: Destination,
): ConnectorError {
  if (error instanceof CommitUnanswered) {
    return fateUnknown(error, into, {
      batch,
      firstRow: committedRows + 1,
      lastRow: committedRows + batchRows,
      committedRows,
    });
  }
  if (into.kind === 'shadow') {
    // The shadow's committed batches never reached the table: they are dropped with it.
    return annotated(error, `the replace failed at batch ${batch}; table ${into.table} is unchanged`, {
      batch,
      committedRows: 0,
    });
  }
  return annotated(
    error,
    `batch ${batch} rolled back; ${committedRows} rows of earlier batches stay committed`,
    { batch, committedRows },
  );
}

/**
 * A COMMIT the server may or may not have made. In a replace's shadow it does not matter (the table is
 * untouched); an upsert may be re-run safely; an append is `WRITE_FATE_UNKNOWN` and not retryable, since
 * writing the rows again could store them twice.
 */
function fateUnknown(
  error: CommitUnanswered,
  into: Destination,
  details: { batch?: number; firstRow: number; lastRow: number; committedRows?: number },
): ConnectorError {
  const { batch, firstRow, lastRow } = details;
  const what = `rows ${firstRow}–${lastRow}${batch === undefined ? '' : ` (batch ${batch})`}`;
  if (into.kind === 'shadow') {
    return annotated(error.lost, `the replace failed before its swap; table ${into.table} is unchanged`, {
      committedRows: 0,
    });
  }
  if (into.upsert) {
    return annotated(
      error.lost,
      `the connection broke during the COMMIT of ${what}: they may or may not be stored; re-running the upsert is safe`,
      details,
    );
  }
  const classified = classifyMysqlError(error.lost);
  return new ConnectorError(
    `${classified.message} (the connection broke during the COMMIT of ${what}: they may or may not be in ${into.table})`,
    {
      code: 'WRITE_FATE_UNKNOWN',
      category: classified.category,
      hint: `Check whether ${what} are in the table before writing them again, or use mode 'upsert' (re-run safely)`,
      retryable: false,
      details: { ...classified.details, ...details },
      cause: error.lost,
    },
  );
}

function annotated(error: unknown, outcome: string, details: Record<string, number>): ConnectorError {
  const classified = classifyMysqlError(error);
  return new ConnectorError(`${classified.message} (${outcome})`, {
    code: classified.code,
    category: classified.category,
    hint: classified.hint,
    retryable: classified.retryable,
    details: { ...classified.details, ...details },
    cause: error,
  });
}

function progress(batches: number, rows: number, started: number): WriteProgress {
  return { batches, rows, elapsedMs: performance.now() - started };
}

function emptyResult(started: number, fastLane: boolean): MysqlWriteResult {
  return {
    rowsWritten: 0,
    rowsInserted: 0,
    rowsUpdated: 0,
    batches: 0,
    durationMs: performance.now() - started,
    method: 'insert',
    fastLane,
  };
}

function invalid(message: string, hint: string): ConnectorError {
  return new ConnectorError(message, { code: 'REQUEST_INVALID', category: 'config', hint });
}
