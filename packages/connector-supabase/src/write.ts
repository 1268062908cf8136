import {
  ConnectorError,
  type ErrorCode,
  isConnectorError,
  sinkInput,
  type WriteColumn,
  type WriteRequestBase,
  type WriteResult,
  writeColumns,
} from '@osiris/core';
import {
  body,
  hasMissingKeys,
  type RequestBatch,
  requestBatches,
  requestColumns,
  rowRange,
} from './batches.js';
import { copyWrite, uniformColumns } from './copy-write.js';
import { createTable } from './create-table.js';
import { provablyNotExecuted, throwIfCallerAborted } from './errors.js';
import { fieldName } from './pagination.js';
import { staleRowRemover } from './replace.js';
import { post } from './request.js';
import { rowEncoder } from './row-encoder.js';
import { keepRowObjects } from './row-objects.js';
import type { SupabaseSession } from './session.js';
import { type ProbedSource, probeSize } from './size-probe.js';
import type { TableInfo } from './table-info.js';
import { notToRetry, WriteFates } from './write-fate.js';

/** What to write and how. */
export interface SupabaseWriteRequest extends WriteRequestBase {
  /** Target table, as in the database. */
  table: string;
  /** `append` inserts; `upsert` inserts or updates by key; `replace` upserts, then deletes rows not written. */
  mode?: 'append' | 'upsert' | 'replace';
  /** Key columns for upsert/replace (default: the table's primary key). */
  primaryKey?: string | readonly string[];
  /** Unique columns upsert resolves conflicts on (supabase-js's name; default: `primaryKey`). */
  onConflict?: string | readonly string[];
  /** On conflict keep the existing row instead of updating it (upsert). */
  ignoreDuplicates?: boolean;
  /** Create the table from the source's column types (or the first batch's values) when it does not exist (needs `db_url`). */
  createIfMissing?: boolean;
}

const MODES = ['append', 'upsert', 'replace'] as const;

const asList = (value: string | readonly string[] | undefined) =>
  value === undefined ? [] : typeof value === 'string' ? value.split(',').map((s) => s.trim()) : [...value];

const configError = (message: string, code: ErrorCode, hint: string) =>
  new ConnectorError(message, { code, category: 'config', hint });

/**
 * Writes the source's rows. With `db_url` (and connector-postgres installed), a write of at least
 * `copy_threshold` rows goes through COPY (copy-write.ts): the source's first rows are read ahead to tell
 * (size-probe.ts), then handed on to whichever path runs. Otherwise, for `ignoreDuplicates` and for views, the
 * rows go through the API (`restWrite`).
 */
export async function writeRows(
  session: SupabaseSession,
  request: SupabaseWriteRequest,
): Promise<WriteResult> {
  const { table, signal } = request;
  const mode = request.mode ?? 'append';
  if (!MODES.includes(mode)) {
    throw configError(
      `Unknown write mode ${JSON.stringify(mode)}`,
      'REQUEST_INVALID',
      `Use one of: ${MODES.join(', ')}`,
    );
  }
  // A table that exists is known (and the key and mode checked) before the source is opened.
  const existing = request.createIfMissing ? undefined : await session.describeTable(table, signal);
  const planned = existing === undefined ? undefined : plan(session, request, mode, existing);
  // COPY has no DO NOTHING, and writes into tables only (the API also writes through updatable views).
  const direct =
    request.ignoreDuplicates || existing?.kind === 'view' ? undefined : await session.direct.connection();
  if (direct === undefined) return restWrite(session, request, mode, existing, planned);
  const probe = await probeSize(request.rows, session.config.copy_threshold);
  try {
    const through = { ...request, rows: probe.rows };
    const names = probe.large ? await uniformColumns(through, probe) : undefined;
    if (names === undefined) return await restWrite(session, through, mode, existing, planned);
    const info = existing ?? (await ensureTable(session, through, await probeColumns(through, probe)));
    if (info.kind === 'view') return await restWrite(session, through, mode, info, planned);
    const { remover, remembered, conflictKey } = planned ?? plan(session, through, mode, info);
    return await copyWrite(
      direct,
      through,
      probe,
      names,
      { mode, conflictKey, remover, remembered },
      session.config.schema,
    );
  } finally {
    await probe.close();
  }
}

/** The write's columns as a created table gets them: declared, described, or inferred from the rows read ahead. */
const probeColumns = (request: SupabaseWriteRequest, probe: ProbedSource) =>
  writeColumns(request, probe.objects.find((batch) => batch.length > 0) ?? []);

/**
 * Writes the source's rows through the API in bounded batches, `concurrency` requests at a time. The rows come through core's
 * sinkInput as positional batches (the source's fast lane when it offers one), encoded straight into request
 * bodies; row objects are kept beside them to tell a key left out from null (row-objects.ts). Upserts (and
 * so replace) are idempotent and retried on any transient failure; an append is retried only
 * when its request provably never ran. After a failure no batch is sent, the ones in flight
 * settle, and the error gives every batch's fate (see write-fate.ts).
 */
async function restWrite(
  session: SupabaseSession,
  request: SupabaseWriteRequest,
  mode: (typeof MODES)[number],
  existing: TableInfo | undefined,
  planned: ReturnType<typeof plan> | undefined,
): Promise<WriteResult> {
  const started = performance.now();
  const { table, signal } = request;
  const { config } = session;
  const objects = keepRowObjects(request);
  // Keys a later batch adds are this connector's to write (row-objects.ts), not refused by core.
  const input = await sinkInput(objects.request, { extraKeys: 'ignore' });
  try {
    // A new table's column types are the write's columns (the source's, declared, or the first batch's values).
    const info = existing ?? (await ensureTable(session, request, input.columns));
    const { remover, remembered, target } = planned ?? plan(session, request, mode, info);
    const progress = inOrder(started, request.onProgress);
    let retries = 0;
    const send = (batch: RequestBatch) => {
      const action = `${mode} batch ${batch.index} (${rowRange(batch)}) into ${table}`;
      return session.retrying(
        signal,
        async (bounded) => {
          try {
            await post(
              session.client,
              target.path(batch),
              { headers: target.headers(batch), body: body(batch) },
              { action, table, schema: config.schema },
              bounded,
            );
          } catch (error) {
            // An append whose request may have run is not sent again: it could write its rows twice.
            throw mode === 'append' && !provablyNotExecuted(error) ? notToRetry(error) : error;
          }
        },
        { action, onRetry: () => void retries++ },
      );
    };

    const encode = rowEncoder(info, input.columns, remembered);
    const fates = new WriteFates();
    const batches = requestBatches(
      input.batches,
      config.batch_size,
      config.max_batch_bytes,
      (values, before) => encode(values, input.fastLane ? undefined : objects.next(), before),
    );
    try {
      await inParallel(batches, config.concurrency, async (batch) => {
        fates.sending(batch);
        try {
          await send(batch);
        } catch (error) {
          fates.settle(batch, error);
          return false;
        }
        fates.settle(batch);
        for (const key of batch.remembered) remover?.keep(key);
        progress.done(batch);
        return true;
      });
    } catch (sourceError) {
      // The rows' source failed (or refused a value): requests already sent have all settled by now.
      throw fates.sent ? fates.error(mode, table, sourceError) : sourceError;
    }
    if (fates.failed) {
      throwIfCallerAborted(signal);
      throw fates.error(mode, table);
    }
    const rowsDeleted = remover === undefined ? undefined : await remover.deleteStale(signal);
    return {
      rowsWritten: progress.rows,
      batches: progress.batches,
      durationMs: Math.round(performance.now() - started),
      method: mode === 'append' ? 'insert' : 'upsert',
      retries,
      fastLane: input.fastLane,
      ...(rowsDeleted === undefined ? {} : { rowsDeleted }),
    };
  } finally {
    await input.close();
  }
}

/** What a write into `info` needs besides its rows: the request's shape, and replace's key tracking. */
function plan(
  session: SupabaseSession,
  request: SupabaseWriteRequest,
  mode: (typeof MODES)[number],
  info: TableInfo,
) {
  const key = asList(request.primaryKey ?? request.onConflict);
  const conflictKey = asList(request.onConflict ?? request.primaryKey);
  if (mode !== 'append' && key.length + info.primaryKey.length === 0) {
    throw configError(
      `${mode} into "${request.table}" needs a key: the table has no primary key`,
      'REQUEST_INVALID',
      'Pass primaryKey (or onConflict) naming unique columns',
    );
  }
  const replaceKey = key.length > 0 ? key : info.primaryKey;
  const remover = mode === 'replace' ? staleRowRemover(session, info, replaceKey) : undefined;
  return {
    remover,
    remembered: remover === undefined ? [] : replaceKey,
    conflictKey,
    target: insertRequest(
      session.config.schema,
      request.table,
      mode,
      conflictKey,
      request.ignoreDuplicates === true,
    ),
  };
}

/**
 * What supabase-js's insert/upsert send. `Prefer: missing=default` (its `defaultToNull: false`)
 * roughly doubles PostgREST's work per row, so it goes only with batches where a row leaves a key out.
 */
function insertRequest(
  schema: string,
  table: string,
  mode: string,
  conflictKey: string[],
  ignoreDuplicates: boolean,
) {
  const prefer = ['return=minimal'];
  if (mode !== 'append') prefer.push(`resolution=${ignoreDuplicates ? 'ignore' : 'merge'}-duplicates`);
  const onConflict =
    mode !== 'append' && conflictKey.length > 0 ? conflictKey.map(fieldName).join(',') : undefined;
  const headers = { 'Content-Type': 'application/json', 'Content-Profile': schema };
  return {
    headers: (batch: RequestBatch) => ({
      ...headers,
      Prefer: (hasMissingKeys(batch) ? [...prefer, 'missing=default'] : prefer).join(','),
    }),
    path(batch: RequestBatch) {
      const query = new URLSearchParams({ columns: requestColumns(batch).map(fieldName).join(',') });
      if (onConflict !== undefined) query.set('on_conflict', onConflict);
      return `/${encodeURIComponent(table)}?${query}`;
    },
  };
}

/** Reports progress in batch order, so `rows` always means "rows 1…rows are written". */
function inOrder(started: number, onProgress: SupabaseWriteRequest['onProgress']) {
  const doneEarly = new Map<number, number>();
  const state = {
    rows: 0,
    batches: 0,
    done(batch: RequestBatch) {
      doneEarly.set(batch.index, batch.json.length);
      for (
        let rows = doneEarly.get(state.batches + 1);
        rows !== undefined;
        rows = doneEarly.get(state.batches + 1)
      ) {
        doneEarly.delete(state.batches + 1);
        state.rows += rows;
        state.batches++;
        onProgress?.({
          batches: state.batches,
          rows: state.rows,
          elapsedMs: Math.round(performance.now() - started),
        });
      }
    },
  };
  return state;
}

/** The table to write to, created from the write's columns when missing. */
async function ensureTable(
  session: SupabaseSession,
  request: SupabaseWriteRequest,
  columns: readonly WriteColumn[],
) {
  try {
    return await session.describeTable(request.table, request.signal);
  } catch (error) {
    if (!isConnectorError(error) || error.code !== 'TABLE_NOT_FOUND') throw error;
  }
  const asked = asList(request.primaryKey ?? request.onConflict);
  const key = asked.length > 0 ? asked : columns.filter((c) => c.primaryKey).map((c) => c.name);
  return createTable(session, request.table, columns, key, request.signal);
}

/**
 * Runs `work` on each item with at most `limit` in flight, pulling the next item only when a
 * slot is free. Once one `work` returns false, no further item is pulled; either way every
 * `work` started has settled when this returns (or rethrows what the items' source threw).
 */
async function inParallel<T>(
  items: AsyncIterable<T>,
  limit: number,
  work: (item: T) => Promise<boolean>,
): Promise<void> {
  const running = new Set<Promise<void>>();
  let stopped = false;
  try {
    for await (const item of items) {
      const task: Promise<void> = work(item)
        .then((goOn) => {
          if (!goOn) stopped = true;
        })
        .finally(() => running.delete(task));
      running.add(task);
      if (running.size >= limit) await Promise.race(running);
      if (stopped) break;
    }
  } finally {
    await Promise.all(running);
  }
}
