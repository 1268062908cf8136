/**
 * The direct path of a large write: the rows go into the table through connector-postgres's `write()` (COPY
 * FROM STDIN, one transaction) instead of PostgREST requests. `append` appends; `upsert` is its upsert (COPY
 * into a temporary table, then INSERT … ON CONFLICT DO UPDATE on the conflict key); `replace` is that upsert
 * followed by the same stale-row delete the API path runs with `db_url`, so every mode ends with the table the
 * API path would leave. The result has the API path's shape, with `method: 'copy'`.
 */

import type { PostgresConnection } from '@osiris/connector-postgres';
import {
  ConnectorError,
  type PositionalBatch,
  type Row,
  type RowSource,
  toConnectorError,
  type WriteResult,
  writeColumns,
} from '@osiris/core';
import { directError } from './direct-errors.js';
import { throwIfCallerAborted } from './errors.js';
import type { StaleRowRemover } from './replace.js';
import { jsonSafe } from './serialize.js';
import type { ProbedSource } from './size-probe.js';
import type { SupabaseWriteRequest } from './write.js';

/** What the API path's planning settled, which the direct path follows too. */
export interface CopyPlan {
  /** `append`, `upsert` or `replace`. */
  mode: 'append' | 'upsert' | 'replace';
  /** Columns upsert resolves conflicts on (empty: the table's primary key). */
  conflictKey: readonly string[];
  /** replace's stale-row remover, and the key columns it remembers. */
  remover: StaleRowRemover | undefined;
  remembered: readonly string[];
}

/**
 * The columns every row object must set for COPY to write what the API would: a COPY gives each row every
 * column it names, so a row object leaving a key out (the API writes the column default) or adding one (the
 * API writes it too) cannot go this way. Undefined when a row read ahead already does either.
 */
export async function uniformColumns(
  request: SupabaseWriteRequest,
  probe: ProbedSource,
): Promise<readonly string[] | undefined> {
  if (probe.fastLane) return [];
  const sample = probe.objects.find((batch) => batch.length > 0) ?? [];
  const names = (await writeColumns({ ...request, rows: probe.rows }, sample)).map((column) => column.name);
  const check = shapeCheck(names);
  let rowsBefore = 0;
  for (const batch of probe.objects) {
    if (check(batch, rowsBefore) !== undefined) return undefined;
    rowsBefore += batch.length;
  }
  return names;
}

/** Finds the first row (1-based, in the write) whose set keys are not exactly `names`, and the key at fault. */
function shapeCheck(names: readonly string[]) {
  const known = new Set(names);
  return (
    rows: readonly Row[],
    rowsBefore: number,
  ): { row: number; key: string; leftOut: boolean } | undefined => {
    for (let r = 0; r < rows.length; r++) {
      const row = rows[r]!;
      for (const name of names) {
        if (!Object.hasOwn(row, name) || row[name] === undefined)
          return { row: rowsBefore + r + 1, key: name, leftOut: true };
      }
      for (const key in row) {
        if (!known.has(key) && Object.hasOwn(row, key) && row[key] !== undefined)
          return { row: rowsBefore + r + 1, key, leftOut: false };
      }
    }
    return undefined;
  };
}

/** The rows handed on unchanged, counted, each row object's keys checked, replace's key values kept. */
function tapped(
  probe: ProbedSource,
  names: readonly string[],
  remembered: readonly string[],
  keep: ((values: unknown[]) => void) | undefined,
  counted: { rows: number },
): RowSource {
  const source = probe.rows as RowSource & {
    columns?: () => Promise<readonly { name: string }[]>;
    positional?: () => AsyncIterable<PositionalBatch>;
  };
  if (probe.fastLane) {
    return {
      columns: source.columns,
      async *positional() {
        const order = (await source.columns!()).map((column) => column.name);
        const at = remembered.map((name) => order.indexOf(name));
        for await (const batch of source.positional!()) {
          if (keep !== undefined) for (const row of batch) keep(at.map((c) => row[c] ?? null));
          counted.rows += batch.length;
          yield batch;
        }
      },
      [Symbol.asyncIterator]: () => {
        throw new Error('copy-write: a described source is read through positional()');
      },
    } as RowSource;
  }
  const check = shapeCheck(names);
  return {
    ...(source.columns === undefined ? {} : { columns: source.columns }),
    async *[Symbol.asyncIterator]() {
      for await (const batch of source as AsyncIterable<Row[]>) {
        const odd = check(batch, counted.rows);
        if (odd !== undefined) throw shapeChanged(odd, names);
        if (keep !== undefined) for (const row of batch) keep(remembered.map((name) => row[name] ?? null));
        counted.rows += batch.length;
        yield batch;
      }
    },
  } as RowSource;
}

/** A row object past the rows read ahead that leaves a key out or adds one: the write refuses (and rolls back). */
function shapeChanged(odd: { row: number; key: string; leftOut: boolean }, names: readonly string[]) {
  return new ConnectorError(
    `Row ${odd.row} ${odd.leftOut ? `leaves out column "${odd.key}"` : `adds column "${odd.key}"`}, which a write through db_url (COPY) cannot do: every row gets the same columns (${names.join(', ')})`,
    {
      code: 'SCHEMA_MISMATCH',
      category: 'config',
      hint: 'Give every row object the same keys (null for NULL), or raise copy_threshold above the row count so the write goes through the API, which writes a left-out key as its column default',
      details: { row: odd.row, column: odd.key },
    },
  );
}

/** Runs the write through `direct` (see the file's opening comment); `names` from `uniformColumns`. */
export async function copyWrite(
  direct: PostgresConnection,
  request: SupabaseWriteRequest,
  probe: ProbedSource,
  names: readonly string[],
  plan: CopyPlan,
  schema: string,
): Promise<WriteResult> {
  const started = performance.now();
  const { table, signal } = request;
  const { mode, remover, remembered } = plan;
  const counted = { rows: 0 };
  const keep =
    remover === undefined
      ? undefined
      : (values: unknown[]) => remover.keep(values.map((value) => jsonSafe(value as never)));
  const rows = tapped(probe, names, remembered, keep, counted);
  let result: WriteResult;
  try {
    result = await direct.write({
      table,
      rows,
      mode: mode === 'append' ? 'append' : 'upsert',
      ...(plan.conflictKey.length > 0 ? { primaryKey: plan.conflictKey } : {}),
      ...(request.columns === undefined ? {} : { columns: request.columns }),
      ...(request.onProgress === undefined ? {} : { onProgress: request.onProgress }),
      ...(signal === undefined ? {} : { signal }),
    });
  } catch (error) {
    throwIfCallerAborted(signal);
    throw rolledBack(
      directError(error, `${mode} into ${table}`, { table, schema }),
      mode,
      table,
      counted.rows,
    );
  }
  const rowsDeleted = remover === undefined ? undefined : await remover.deleteStale(signal);
  return {
    rowsWritten: result.rowsWritten,
    batches: result.batches,
    durationMs: Math.round(performance.now() - started),
    method: 'copy',
    retries: 0,
    fastLane: result.fastLane ?? probe.fastLane,
    ...(rowsDeleted === undefined ? {} : { rowsDeleted }),
  };
}

/**
 * The write's error with its rows' fate: the COPY is one transaction, so a server that answered with an error
 * rolled every row back; a lost connection leaves all the rows sent of unknown fate (append:
 * `WRITE_FATE_UNKNOWN`, as on the API path).
 */
function rolledBack(
  error: ConnectorError,
  mode: CopyPlan['mode'],
  table: string,
  sent: number,
): ConnectorError {
  const unknown = error.details?.execution !== 'no' && sent > 0;
  const range: [number, number][] = sent > 0 ? [[1, sent]] : [];
  const story = unknown
    ? `rows 1–${sent} may or may not have been written (the connection ended before the COMMIT was confirmed)`
    : `no row was written: it is one transaction, rolled back${sent > 0 ? ` (rows 1–${sent} had been sent)` : ''}`;
  const deleted = mode === 'replace' ? ' Nothing was deleted.' : '';
  const fateUnknown = unknown && mode === 'append';
  const cause = toConnectorError(error);
  return new ConnectorError(`${cause.message} — of this ${mode} into ${table}, ${story}.${deleted}`, {
    code: fateUnknown ? 'WRITE_FATE_UNKNOWN' : cause.code,
    category: cause.category,
    hint: fateUnknown
      ? `Check whether rows 1–${sent} are in the table before writing them again, or use mode 'upsert'`
      : cause.hint,
    retryable: fateUnknown ? false : cause.retryable,
    details: {
      ...cause.details,
      written: [],
      notWritten: unknown ? [] : range,
      fateUnknown: unknown ? range : [],
      lastRowSent: sent,
    },
    cause,
  });
}
