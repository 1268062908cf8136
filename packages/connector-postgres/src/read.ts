/**
 * Streams one SELECT's rows through `COPY (…) TO STDOUT`: the server's text, decoded into canonical values,
 * handed out in batches — row objects for code that iterates the stream, positional arrays for a sink that
 * takes the fast lane (`positional()`). A batch is split into arrays first and then decoded a column at a time;
 * row objects are made from the decoded arrays. Memory stays at about a batch: the socket is only read while the consumer asks for more. Leaving
 * early (`break`, abort, timeout) cancels the COPY on the server and gives the connection back once the
 * server confirmed the cancel.
 */
import {
  type CanonicalValue,
  ConnectorError,
  type PositionalBatch,
  type Row,
  type RowBatchStream,
} from '@osiris/core';
import copyStreams from 'pg-copy-streams';
import type { PostgresColumn } from './catalog.js';
import { CopyTextLines } from './copy-text.js';
import { classifyPostgresError } from './errors.js';
import type { CallLimits, Session, Sessions } from './session.js';
import { asSent, NoCanonicalValue, noCanonicalValue, type TextDecoder, textDecoder } from './values.js';

/** What a read runs once it holds a session. */
export interface CopyPlan {
  /** The `COPY (…) TO STDOUT` statement. */
  copy: string;
  /** The columns of its rows. */
  columns: PostgresColumn[];
}

/** How a read is set up and bounded. */
export interface CopyReadOptions extends CallLimits {
  /** Rows per batch. */
  batchSize: number;
  /** Names the source in errors (`PostgreSQL table public.orders`). */
  source: string;
  /** Checks the statement and describes its columns on the session (the read-only transaction is open). */
  plan: (session: Session) => Promise<CopyPlan>;
  /** Run the COPY inside a read-only transaction. */
  readOnly: boolean;
}

/** How long a cancelled COPY may take to end before its connection is closed instead. */
const CANCEL_GRACE_MS = 5_000;

const NEWLINE = 0x0a;

/** The rows of one read, as batches; `columns()` starts the read if iterating has not. */
export function copyRead(sessions: Sessions, options: CopyReadOptions): RowBatchStream<Row> {
  let started: Promise<{ session: Session; plan: CopyPlan }> | undefined;
  let iterated = false;
  const start = () => {
    started ??= (async () => {
      const session = await sessions.open(options);
      try {
        if (options.readOnly) await session.beginReadOnly();
        return { session, plan: await options.plan(session) };
      } catch (error) {
        await sessions.release(session, error);
        throw classifyPostgresError(error);
      }
    })();
    return started;
  };

  /** Batches of row objects (`positional` false) or of arrays in column order (`positional` true). */
  async function* batches(positional: boolean): AsyncGenerator<Row[] | PositionalBatch, void, undefined> {
    if (iterated) {
      throw new ConnectorError('A read can be iterated once', {
        code: 'STREAM_CONSUMED',
        category: 'internal',
        hint: 'Call read() again for a second pass',
      });
    }
    iterated = true;
    const { session, plan } = await start();
    if (session.signal.aborted) {
      // Time ran out while the read was set up: do not start a COPY that a cancel could overtake.
      if (options.readOnly) await session.script('ROLLBACK').catch(() => (session.suspect = true));
      await sessions.release(session);
      throw abortedRead(session.signal, session.signal.reason);
    }
    const stream = session.client.query(copyStreams.to(plan.copy));
    const outcome = watch(stream);
    const decoders = plan.columns.map((column) => textDecoder(column.type));
    const names = plan.columns.map((column) => column.name);
    const width = names.length;
    // Every row object starts as a copy of this one, so all rows share one object shape (much cheaper than
    // adding keys).
    const template: Row = Object.fromEntries(names.map((name) => [name, null]));
    /** A batch of split rows (`first` rows came before it) decoded, as arrays or as row objects. */
    const finish = (rows: CanonicalValue[][], first: number): Row[] | PositionalBatch => {
      for (let c = 0; c < width; c++) {
        const decode = decoders[c] as TextDecoder;
        if (decode === asSent) continue;
        const failed = decodeColumn(rows, c, decode);
        if (failed !== undefined)
          throw noCanonicalValue(
            failed.error,
            plan.columns[c] as PostgresColumn,
            first + failed.row + 1,
            options.source,
          );
      }
      if (positional) return rows;
      return rows.map((values) => {
        const row = { ...template };
        for (let c = 0; c < width; c++) row[names[c] as string] = values[c] as CanonicalValue;
        return row;
      });
    };
    let finished = false;
    let failure: unknown;
    let stopCancelling = () => {};
    const onAbort = () => {
      session.suspect = true;
      stopCancelling = session.cancelRepeatedly();
    };
    session.signal.addEventListener('abort', onAbort, { once: true });
    try {
      let rest: Buffer | undefined;
      let batch: CanonicalValue[][] = [];
      let rowNumber = 0;
      const fields: Array<string | null> = [];
      const lines = new CopyTextLines();
      // Not destroyed on break: the COPY must be read on to the server's answer to the cancel.
      for await (const chunk of stream.iterator({ destroyOnReturn: false }) as AsyncIterable<Buffer>) {
        const data = rest === undefined ? chunk : Buffer.concat([rest, chunk]);
        const last = data.lastIndexOf(NEWLINE);
        if (last === -1) {
          rest = data;
          continue;
        }
        rest = last === data.length - 1 ? undefined : data.subarray(last + 1);
        lines.reset(data.toString('utf8', 0, last + 1));
        while (lines.next(fields)) {
          rowNumber++;
          if (fields.length !== width)
            throw fieldCountMismatch(fields.length, width, rowNumber, options.source);
          batch.push(fields.slice());
          if (batch.length >= options.batchSize) {
            // Rows already buffered when the caller aborted are not handed out.
            session.signal.throwIfAborted();
            yield finish(batch, rowNumber - batch.length);
            batch = [];
          }
        }
      }
      session.signal.throwIfAborted();
      if (batch.length > 0) yield finish(batch, rowNumber - batch.length);
      finished = true;
    } catch (error) {
      failure = error;
      throw session.signal.aborted ? abortedRead(session.signal, error) : classifyPostgresError(error);
    } finally {
      session.signal.removeEventListener('abort', onAbort);
      if (!finished && !outcome.over) {
        // Left early: cancel the COPY and read on to the server's answer, so the connection is idle again.
        session.suspect = true;
        stopCancelling();
        stopCancelling = session.cancelRepeatedly();
      }
      // Reused only when the server confirmed the one cancel it was sent (a repeat could still be on its way).
      if (session.suspect) session.suspect = !(await outcome.cancelled()) || session.cancelsSent > 1;
      stopCancelling();
      if (options.readOnly && !session.suspect)
        await session.script('ROLLBACK').catch(() => (session.suspect = true));
      await sessions.release(session, failure);
    }
  }

  return {
    columns: async () => (await start()).plan.columns,
    [Symbol.asyncIterator]: () => batches(false) as AsyncGenerator<Row[]>,
    positional: () => ({ [Symbol.asyncIterator]: () => batches(true) as AsyncGenerator<PositionalBatch> }),
  };
}

/**
 * Decodes column `c` of every row in place, one column at a time: one decoder over a run of values is
 * cheaper than ten decoders taking turns on each row. Says which row held a value without a canonical form.
 */
function decodeColumn(
  rows: CanonicalValue[][],
  c: number,
  decode: TextDecoder,
): { row: number; error: NoCanonicalValue } | undefined {
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r] as CanonicalValue[];
    const text = row[c] as string | null;
    if (text === null) continue;
    try {
      row[c] = decode(text);
    } catch (error) {
      if (!(error instanceof NoCanonicalValue)) throw error;
      return { row: r, error };
    }
  }
  return undefined;
}

/** Follows a COPY stream to its end: whether it is over, and whether it ended as cancelled (57014). */
function watch(stream: NodeJS.ReadableStream) {
  const state = { over: false, cancelled: async () => false };
  const ended = new Promise<boolean>((resolve) => {
    const done = (cancelled: boolean) => {
      state.over = true;
      resolve(cancelled);
    };
    stream.once('error', (error: { code?: string }) => done(error.code === '57014'));
    stream.once('end', () => done(false));
  });
  /** Resolves once the server answered the cancel (reading on past unread rows), false after the grace time. */
  state.cancelled = () => {
    stream.resume();
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>(
      (resolve) => (timer = setTimeout(() => resolve(false), CANCEL_GRACE_MS)),
    );
    return Promise.race([ended, late]).finally(() => clearTimeout(timer));
  };
  return state;
}

/** A line whose field count is not the columns' (the server's COPY text is trusted, but never misread). */
function fieldCountMismatch(fields: number, width: number, row: number, source: string): ConnectorError {
  return new ConnectorError(`${source}: row ${row} arrived with ${fields} fields for ${width} columns`, {
    code: 'INTERNAL',
    category: 'internal',
    hint: 'Report it: the COPY output did not match the described columns',
    details: { row, fields, columns: width },
  });
}

/** The error of a read stopped by its deadline or its caller. */
function abortedRead(signal: AbortSignal, cause: unknown): ConnectorError {
  const timedOut = (signal.reason as { name?: string } | undefined)?.name === 'TimeoutError';
  return new ConnectorError(
    timedOut
      ? 'The read ran past its time limit; its COPY was cancelled on the server'
      : 'The read was aborted; its COPY was cancelled on the server',
    { code: timedOut ? 'QUERY_TIMEOUT' : 'ABORTED', retryable: timedOut, cause },
  );
}
