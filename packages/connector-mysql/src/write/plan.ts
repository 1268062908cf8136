/**
 * A write request turned into a checked plan before any statement that changes something runs: the mode and keys
 * validated, the columns matched to the table's (or to the table `createIfMissing` would create), the first batch
 * converted and checked, the transport chosen from what the server allows.
 */
import {
  type CanonicalValue,
  type ColumnInfo,
  ConnectorError,
  type LogicalType,
  type PositionalBatch,
  positionalConverter,
  type SinkColumn,
  type SinkInput,
  type WriteColumn,
} from '@osiris/core';
import { type TableColumn, tableColumns, tableNotFound } from '../discover.js';
import type { ServerConnection } from '../server-connection.js';
import { knownLogicalType } from '../types.js';
import type { BatchReader } from './batch-reader.js';
import { type CreatedColumn, createdColumns, createTableStatement } from './ddl.js';
import { spell, spellingFor } from './encode.js';
import { checkLimits, limitFor } from './limits.js';
import type { MysqlWriteRequest, WriteMethod, WriteMode } from './types.js';

/** What a write runs with. */
export interface WriteContext {
  /** The session every statement of the write runs on. */
  connection: ServerConnection;
  /** Database the table lives in. */
  schema: string;
  /** Stops the write between statements (the running one is killed by the caller). */
  signal: AbortSignal;
}

const DEFAULT_ROWS_PER_INSERT = 1_000;

/** Positional canonical rows of a batch, checked and spelled for the table's columns. */
export type Prepared = CanonicalValue[][];

/** Everything a mode needs to write: checked once, before anything is written. */
export interface Plan {
  /** Where and with what the write runs. */
  context: WriteContext;
  /** The caller's request. */
  request: MysqlWriteRequest;
  /** The source's non-empty batches. */
  reader: BatchReader<CanonicalValue[]>;
  /** The batch `reader.peek()` gave, and its prepared rows (checked before any table is created). */
  first: { batch: readonly CanonicalValue[][]; rows: Prepared } | undefined;
  /** Converts and checks a batch in place; throws VALUE_* naming row and column before anything of it is sent. */
  prepare: (batch: PositionalBatch, rowsBefore: number) => Prepared;
  /** Whether the rows come through the source's fast lane. */
  fastLane: boolean;
  /** Column names written, in order. */
  columns: readonly string[];
  /** Key columns (left alone by an upsert). */
  keyColumns: readonly string[];
  /** How the rows travel, chosen from the request, the mode and the server's local_infile. */
  method: 'insert' | 'load-data';
  /** Rows per INSERT statement at most. */
  batchSize: number;
  /** The server's max_allowed_packet. */
  maxPacketBytes: number;
  /** Whether the table exists already. */
  tableExists: boolean;
  /** CREATE TABLE for a table of the given name with the derived columns; undefined when the table exists. */
  createStatement: ((name: string) => string) | undefined;
  /** When the write started (performance.now()). */
  started: number;
}

/** The plan of a write, or undefined when there is nothing to write (no columns, and no table to empty). */
export async function planWrite(
  context: WriteContext,
  request: MysqlWriteRequest,
  mode: WriteMode,
  input: SinkInput,
  reader: BatchReader<CanonicalValue[]>,
  started: number,
): Promise<Plan | undefined> {
  const { connection, schema } = context;
  const table = request.table;
  const primaryKey =
    typeof request.primaryKey === 'string' ? [request.primaryKey] : [...(request.primaryKey ?? [])];
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
  const existing = (await tableColumns(connection, schema, table)).get(table);
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
  if (columns.length === 0 && (mode !== 'replace' || existing === undefined)) return undefined;
  // A created table keys on primaryKey, else on the columns the source marks as its key.
  const createdKey =
    primaryKey.length > 0 ? primaryKey : columns.filter((column) => column.primaryKey).map((c) => c.name);
  // TYPE_UNSUPPORTED is raised here, before any statement.
  const created = existing === undefined ? createdColumns(columns, createdKey) : undefined;
  const prepare = batchPreparer(table, columns, existing ?? (created as CreatedColumn[]));
  // The first batch is checked before a table is created or anything is written.
  const first =
    sample.length > 0 ? { batch: sample, rows: prepare(sample as PositionalBatch, 0) } : undefined;
  const server = await serverLimits(connection);
  return {
    context,
    request,
    reader,
    first,
    prepare,
    fastLane: input.fastLane,
    columns: columns.map((column) => column.name),
    keyColumns,
    method: chooseMethod(request.method ?? 'auto', mode, server.localInfile),
    batchSize: request.batchSize ?? DEFAULT_ROWS_PER_INSERT,
    maxPacketBytes: server.maxPacketBytes,
    tableExists: existing !== undefined,
    createStatement:
      created === undefined ? undefined : (name) => createTableStatement(name, created, createdKey),
    started,
  };
}

/** A declared column without a logical type takes the one its MySQL `nativeType` spells (`DECIMAL(30,2)`). */
export function withMysqlType(column: ColumnInfo): ColumnInfo {
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

async function serverLimits(
  connection: ServerConnection,
): Promise<{ maxPacketBytes: number; localInfile: boolean }> {
  const { rows } = await connection.run(
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

export function invalid(message: string, hint: string): ConnectorError {
  return new ConnectorError(message, { code: 'REQUEST_INVALID', category: 'config', hint });
}
