/**
 * `write()`: batches into a table in one transaction, through COPY. append adds the rows; replace deletes
 * what the table held and adds the rows (readers see the old rows until the commit, never an empty or half
 * table); upsert copies into a temporary table and merges with INSERT … ON CONFLICT DO UPDATE (a key sent
 * twice: the later row wins). The rows arrive through core's `sinkInput` — the source's fast lane when it
 * offers one, else its row objects — as arrays of canonical values, encoded straight into COPY text. Every
 * batch is converted and checked before it is sent; a refusal rolls back everything, a created table included.
 */
import {
  ConnectorError,
  positionalConverter,
  type Row,
  type SinkColumn,
  sinkInput,
  type WriteColumn,
  type WriteRequestBase,
  type WriteResult,
} from '@osiris/core';
import { type PostgresColumn, tableColumns } from '../catalog.js';
import type { Session } from '../session.js';
import { qualifiedName, quoteIdentifier } from '../sql.js';
import { type CopyIn, copyIn } from './copy-in.js';
import { createTableStatement } from './ddl.js';
import { copyEncoder } from './encode.js';

/** How rows meet what the table already holds. */
export type WriteMode = 'append' | 'replace' | 'upsert';

/** A write into a PostgreSQL table. */
export interface PostgresWriteRequest<R extends Row = Row> extends WriteRequestBase<R> {
  /** Table in the connection's schema. */
  table: string;
  /** `append` (default) adds rows; `upsert` inserts or updates by key; `replace` swaps in the new content atomically. */
  mode?: WriteMode;
  /** Key columns: the primary key of a created table, the conflict target of an upsert (default: the table's). */
  primaryKey?: string | readonly string[];
  /** Create the table from the column types when it does not exist (in the same transaction). */
  createIfMissing?: boolean;
}

/** What a PostgreSQL write did. */
export interface PostgresWriteResult extends WriteResult {
  /** Always `copy`: every mode moves rows with COPY FROM STDIN. */
  method: 'copy';
}

/** Runs the whole write on one session, in one transaction. */
export async function writeRows(
  session: Session,
  schema: string,
  request: PostgresWriteRequest,
): Promise<PostgresWriteResult> {
  const started = performance.now();
  const mode = request.mode ?? 'append';
  const target = qualifiedName(schema, request.table);
  const sink = `PostgreSQL table ${schema}.${request.table}`;
  const input = await sinkInput(request);
  const sourceColumns = input.columns;
  let copy: CopyIn | undefined;
  try {
    await session.script('BEGIN');
    let table = await tableColumns(session.client, target);
    const created = table.length === 0;
    if (created) {
      if (!request.createIfMissing) {
        throw new ConnectorError(`${sink} does not exist`, {
          code: 'TABLE_NOT_FOUND',
          category: 'not_found',
          hint: 'Create it first, or pass createIfMissing: true',
        });
      }
      await session.run(
        createTableStatement(schema, request.table, sourceColumns, keyOf(request, sourceColumns)),
      );
      table = await tableColumns(session.client, target);
    }
    const columns = sinkColumns(sourceColumns, table, sink, created, input.fastLane);
    const convert = positionalConverter(
      columns.map((column) => column.sink),
      sink,
    );
    const encode = copyEncoder(
      columns.map((column) => column.table),
      sink,
    );
    const names = columns.map((column) => quoteIdentifier(column.table.name)).join(', ');

    let rowsDeleted: number | undefined;
    let into = target;
    if (mode === 'replace') rowsDeleted = (await session.run(`DELETE FROM ${target}`)).rowCount;
    if (mode === 'upsert') into = await createStaging(session, target, names);
    copy = copyIn(session, `COPY ${into} (${names}) FROM STDIN`);

    let rows = 0;
    let batchCount = 0;
    for await (const batch of input.batches) {
      if (batch.length === 0) continue;
      session.throwIfAborted();
      await copy.send(encode(convert(batch, rows), rows));
      rows += batch.length;
      batchCount++;
      request.onProgress?.({ batches: batchCount, rows, elapsedMs: performance.now() - started });
    }
    await copy.finish();
    copy = undefined;

    let counts: { inserted: number; updated?: number } = { inserted: rows };
    if (mode === 'upsert')
      counts = await merge(
        session,
        target,
        into,
        columns.map((column) => column.table.name),
        upsertKey(request, table, sink),
      );
    await session.script('COMMIT');
    return {
      rowsWritten: rows,
      rowsInserted: counts.inserted,
      ...(counts.updated !== undefined && { rowsUpdated: counts.updated }),
      ...(rowsDeleted !== undefined && { rowsDeleted }),
      batches: batchCount,
      durationMs: Math.round(performance.now() - started),
      method: 'copy',
      fastLane: input.fastLane,
    };
  } catch (error) {
    await copy?.fail();
    await session.script('ROLLBACK').catch(() => (session.suspect = true));
    throw error;
  } finally {
    await input.close();
  }
}

/**
 * The source columns paired with the table's, refusing a column the table lacks before anything is sent. In a
 * table this write created, an enum or set column is text with the members known: values are checked against
 * them here, before sending, rather than by the CHECK constraint on the server. A fast-lane source's own word
 * that a column holds no null spares the NOT NULL look; row objects are always looked at.
 */
function sinkColumns(
  source: readonly WriteColumn[],
  table: readonly PostgresColumn[],
  sink: string,
  created: boolean,
  fastLane: boolean,
) {
  return source.map((column) => {
    const match = table.find((candidate) => candidate.name === column.name);
    if (match === undefined) {
      throw new ConnectorError(`${sink} has no column ${JSON.stringify(column.name)}`, {
        code: 'COLUMN_NOT_FOUND',
        category: 'not_found',
        hint: `Its columns: ${table.map((candidate) => candidate.name).join(', ')}`,
      });
    }
    const members = created && (column.type.kind === 'enum' || column.type.kind === 'set');
    const sinkColumn: SinkColumn = {
      name: column.name,
      target: members ? column.type : match.type,
      source: column.described ? column.type : undefined,
      nativeType: match.nativeType,
      nullable: match.nullable,
      sourceNullable: fastLane && column.described ? column.nullable : undefined,
    };
    return { sink: sinkColumn, table: match };
  });
}

const asList = (key: string | readonly string[] | undefined): string[] =>
  key === undefined ? [] : typeof key === 'string' ? [key] : [...key];

/** The key of a created table: the request's, else the source's primary key columns. */
function keyOf(request: PostgresWriteRequest, columns: readonly WriteColumn[]): string[] {
  const given = asList(request.primaryKey);
  return given.length > 0
    ? given
    : columns.filter((column) => column.primaryKey).map((column) => column.name);
}

/** The conflict target of an upsert: the request's key, else the table's primary key. */
function upsertKey(request: PostgresWriteRequest, table: readonly PostgresColumn[], sink: string): string[] {
  const key = asList(request.primaryKey);
  if (key.length > 0) return key;
  const primary = table.filter((column) => column.primaryKey).map((column) => column.name);
  if (primary.length > 0) return primary;
  throw new ConnectorError(`${sink} has no primary key to upsert on`, {
    code: 'REQUEST_INVALID',
    category: 'config',
    hint: 'Pass primaryKey: the columns of a unique constraint of the table',
  });
}

/** A temporary table with the written columns and an arrival number, dropped at commit. */
async function createStaging(session: Session, target: string, names: string): Promise<string> {
  // Temporary tables are the session's own, so a fixed name cannot meet another write's.
  const staging = quoteIdentifier('osiris_upsert');
  await session.run(
    `CREATE TEMPORARY TABLE ${staging} ON COMMIT DROP AS SELECT ${names} FROM ${target} WITH NO DATA`,
  );
  await session.run(`ALTER TABLE ${staging} ADD COLUMN osiris_arrival bigint GENERATED ALWAYS AS IDENTITY`);
  return staging;
}

/** INSERT … ON CONFLICT DO UPDATE from the staging table, the last arrival of each key winning. */
async function merge(
  session: Session,
  target: string,
  staging: string,
  columns: readonly string[],
  key: readonly string[],
): Promise<{ inserted: number; updated: number }> {
  const list = columns.map((name) => quoteIdentifier(name)).join(', ');
  const keyList = key.map((name) => quoteIdentifier(name, 'key column')).join(', ');
  const others = columns.filter((name) => !key.includes(name));
  // With only key columns there is nothing to update; setting the key to itself still counts the row.
  const updates = (others.length > 0 ? others : key)
    .map((name) => `${quoteIdentifier(name)} = EXCLUDED.${quoteIdentifier(name)}`)
    .join(', ');
  const { rows } = await session.run(`
WITH written AS (
  INSERT INTO ${target} (${list})
  SELECT ${list} FROM (SELECT DISTINCT ON (${keyList}) * FROM ${staging} ORDER BY ${keyList}, osiris_arrival DESC) AS latest
  ON CONFLICT (${keyList}) DO UPDATE SET ${updates}
  RETURNING (xmax = 0) AS inserted
)
SELECT count(*) FILTER (WHERE inserted), count(*) FILTER (WHERE NOT inserted) FROM written`);
  const [inserted, updated] = rows[0] as string[];
  return { inserted: Number(inserted), updated: Number(updated) };
}
