/**
 * A typed in-memory table connector that speaks the typed contract and the fast lane as core's helpers make
 * it easy to (sinkInput + positionalConverter to write, positionalStream to read), and the ways to break it
 * that the testkit's own tests prove the suites catch. Tables live in a store named by the config.
 */
import {
  API_VERSION,
  type CanonicalValue,
  type ColumnInfo,
  type Connection,
  ConnectorError,
  defineConnector,
  field,
  type LogicalType,
  type PositionalBatch,
  positionalConverter,
  positionalStream,
  type ReadRequestBase,
  type RowBatchStream,
  sinkInput,
  type WriteRequestBase,
  type WriteResult,
} from '@osiris/core';
import { z } from 'zod';

/** A way the connector is broken on purpose (or, for the last three, a legitimate target that differs). */
export type Flaw =
  /** positional() swaps the values of columns 1 and 2 (name and score). */
  | 'lane-reordered'
  /** positional() leaves out the last column. */
  | 'lane-dropped'
  /** positional() keeps the read open when left early. */
  | 'lane-unreleased'
  /** positional() ignores the read request's signal. */
  | 'lane-unaborted'
  /** Reads give timestamps as JS Dates. */
  | 'date-for-timestamp'
  /** Reads describe floats as decimal(12,2) and give them as JS numbers. */
  | 'number-for-decimal'
  /** columns() describes every column as NOT NULL, nulls and all. */
  | 'all-not-null'
  /** The sink takes the lane and reports it, but stores text for every value of it. */
  | 'sink-ignores-lane-values'
  /** The sink does not take the lane (iterates row objects, reports no fastLane). */
  | 'no-sink-lane'
  /** The read offers no positional(). */
  | 'no-source-lane'
  /** columns() answers only once a batch has been read (a sink asking it first waits forever). */
  | 'columns-after-first-batch'
  /** columns() describes no logical type (an untyped file). */
  | 'untyped'
  /** Booleans are stored as integer(8) 1/0 (a database without a boolean type). */
  | 'boolean-as-integer'
  /** Timestamps are stored at precision 6 (a target whose column has more digits than written). */
  | 'timestamp-6';

/** A table: the columns of its first write (with their logical types) and its rows in their order. */
interface Table {
  columns: readonly ColumnInfo[];
  rows: CanonicalValue[][];
}

interface TableRead extends ReadRequestBase {
  table: string;
}

interface TableWrite extends WriteRequestBase {
  table: string;
}

/** Tables by store name, so a second connection sees what a first one wrote. */
const stores = new Map<string, Map<string, Table>>();
/** Reads opened and not yet released, by store name. */
const openReads = new Map<string, number>();

/** Reads of `store` that hold what they opened. */
export const openReadsOf = (store: string) => openReads.get(store) ?? 0;

/** The connector, with `flaws` built in. */
export function tableConnector(...flaws: Flaw[]) {
  const has = (flaw: Flaw) => flaws.includes(flaw);
  return defineConnector({
    family: 'table',
    apiVersion: API_VERSION,
    configSchema: z.strictObject({ store: field.string() }),
    secrets: [],
    capabilities: ['read', 'write'],
    async connect({ store }): Promise<Connection<TableRead, TableWrite>> {
      const tables = stores.get(store) ?? new Map<string, Table>();
      stores.set(store, tables);
      return {
        check: async () => ({ message: `store ${store}` }),
        read: ({ table, batchSize = 100, signal }) => readTable(store, tables, table, batchSize, signal, has),
        write: (request) => writeTable(tables, request, has),
        close: async () => {},
      };
    },
  });
}

async function writeTable(
  tables: Map<string, Table>,
  request: TableWrite,
  has: (flaw: Flaw) => boolean,
): Promise<WriteResult> {
  const started = performance.now();
  if (has('no-sink-lane')) request = { ...request, rows: objectsOnly(request.rows) };
  const input = await sinkInput(request);
  try {
    const table = tables.get(request.table) ?? { columns: input.columns, rows: [] };
    tables.set(request.table, table);
    const names = (columns: readonly ColumnInfo[]) => columns.map((column) => column.name).join(', ');
    if (names(table.columns) !== names(input.columns)) {
      throw new ConnectorError(
        `Table ${request.table} has columns ${names(table.columns)}, not ${names(input.columns)}`,
        {
          code: 'SCHEMA_MISMATCH',
          category: 'config',
        },
      );
    }
    const convert = positionalConverter(
      input.columns.map((column, c) => ({
        name: column.name,
        target: table.columns[c]?.type as LogicalType,
        source: column.described ? column.type : undefined,
        nullable: column.nullable,
      })),
      `table ${request.table}`,
    );
    let batches = 0;
    let written = 0;
    for await (const batch of input.batches) {
      request.signal?.throwIfAborted();
      const rows = convert(batch, table.rows.length);
      const ignored = input.fastLane && has('sink-ignores-lane-values');
      table.rows.push(
        ...rows.map((row) =>
          ignored ? row.map((value) => (value === null ? null : String(value))) : [...row],
        ),
      );
      batches++;
      written += rows.length;
      request.onProgress?.({ batches, rows: written, elapsedMs: performance.now() - started });
    }
    return {
      rowsWritten: written,
      batches,
      durationMs: performance.now() - started,
      fastLane: input.fastLane,
    };
  } finally {
    await input.close();
  }
}

/** The rows without the source's lane (its columns() kept), as a sink that only knows row objects sees them. */
function objectsOnly(rows: TableWrite['rows']): TableWrite['rows'] {
  const described = rows as Partial<RowBatchStream>;
  return {
    columns: async () => (await described.columns?.()) ?? [],
    [Symbol.asyncIterator]: async function* () {
      yield* rows;
    },
  } as RowBatchStream;
}

function readTable(
  store: string,
  tables: Map<string, Table>,
  name: string,
  batchSize: number,
  signal: AbortSignal | undefined,
  has: (flaw: Flaw) => boolean,
): RowBatchStream {
  const table = () => {
    const found = tables.get(name);
    if (found !== undefined) return found;
    throw new ConnectorError(`Table ${name} does not exist`, {
      code: 'TABLE_NOT_FOUND',
      category: 'not_found',
    });
  };
  const columns = async () => table().columns.map(described(has));
  const values = (row: CanonicalValue[]) =>
    table().columns.map((column, c) => readValue(column, row[c] ?? null, has));
  async function* batches(release = true, abortable = true): AsyncGenerator<PositionalBatch> {
    openReads.set(store, openReadsOf(store) + 1);
    let done = false;
    try {
      const { rows } = table();
      for (let start = 0; start < rows.length; start += batchSize) {
        if (abortable) signal?.throwIfAborted();
        yield rows.slice(start, start + batchSize).map(values);
      }
      done = true;
    } finally {
      if (release || done) openReads.set(store, openReadsOf(store) - 1);
    }
  }
  let batchRead = () => {};
  const firstBatch = new Promise<void>((resolve) => {
    batchRead = resolve;
  });
  const built = positionalStream(columns, async function* () {
    for await (const batch of batches()) {
      batchRead();
      yield batch;
    }
  });
  // The row objects still come (positionalStream's iteration knows the columns); only the method sinks ask waits.
  const stream = has('columns-after-first-batch')
    ? { ...built, columns: () => firstBatch.then(columns) }
    : built;
  if (has('no-source-lane'))
    return { columns: stream.columns, [Symbol.asyncIterator]: stream[Symbol.asyncIterator] };
  const flawed = laneFlaw(has);
  if (flawed === undefined) return stream;
  return {
    ...stream,
    positional: () => flawed(batches(!has('lane-unreleased'), !has('lane-unaborted'))),
  };
}

/** positional() of a broken lane: the row objects stay right, the arrays do not. */
function laneFlaw(has: (flaw: Flaw) => boolean) {
  if (has('lane-reordered'))
    return async function* (batches: AsyncIterable<PositionalBatch>) {
      for await (const batch of batches)
        yield batch.map(([id, name, score, ...rest]) => [id, score, name, ...rest] as CanonicalValue[]);
    };
  if (has('lane-dropped'))
    return async function* (batches: AsyncIterable<PositionalBatch>) {
      for await (const batch of batches) yield batch.map((row) => row.slice(0, -1));
    };
  if (has('lane-unreleased') || has('lane-unaborted'))
    return (batches: AsyncIterable<PositionalBatch>) => batches;
  return undefined;
}

const described =
  (has: (flaw: Flaw) => boolean) =>
  (column: ColumnInfo): ColumnInfo => {
    if (has('untyped')) return { name: column.name };
    if (has('all-not-null')) return { ...column, nullable: false };
    if (column.type?.kind === 'boolean' && has('boolean-as-integer'))
      return { ...column, type: { kind: 'integer', bits: 8, unsigned: false } };
    if (column.type?.kind === 'timestamp' && has('timestamp-6'))
      return { ...column, type: { kind: 'timestamp', precision: 6 } };
    if (column.type?.kind === 'float' && has('number-for-decimal'))
      return { ...column, type: { kind: 'decimal', precision: 12, scale: 2 } };
    return column;
  };

function readValue(column: ColumnInfo, value: CanonicalValue, has: (flaw: Flaw) => boolean): CanonicalValue {
  if (value === null) return null;
  // A Date is no canonical value: the flaw puts one where the contract wants the instant's text.
  if (column.type?.kind === 'timestamp' && has('date-for-timestamp')) return new Date(String(value)) as never;
  if (column.type?.kind === 'timestamp' && has('timestamp-6')) return String(value).replace('Z', '000Z');
  if (typeof value === 'boolean' && has('boolean-as-integer')) return value ? 1 : 0;
  return value;
}
