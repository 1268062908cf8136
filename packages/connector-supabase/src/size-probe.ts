/**
 * How big a write is, learnt before either write path starts: the source's first rows are read ahead (up to
 * a threshold) and handed on again, untouched, followed by the rest, so the path chosen reads the source as if
 * it had never been looked at — its fast lane (`positional()`, same `columns()`) when the source offers one,
 * else its row objects. Memory stays bounded by the threshold plus one source batch.
 */
import type { ColumnInfo, PositionalBatch, Row, RowSource } from '@osiris/core';

/** The source read ahead. */
export interface ProbedSource {
  /** The same rows as the original source, to give a write path in its place (read it once). */
  rows: RowSource;
  /** Whether the source holds at least the threshold's rows (the read stopped there). */
  large: boolean;
  /** Whether the rows come as positional batches of a fully described source (no row object exists). */
  fastLane: boolean;
  /** The row objects read ahead (none on the fast lane): what a table created for them is inferred from. */
  objects: readonly Row[][];
  /** Releases the source when no path took it over (idempotent). */
  close(): Promise<void>;
}

type Described = {
  columns?: () => Promise<readonly ColumnInfo[]>;
  positional?: () => AsyncIterable<PositionalBatch>;
};

/** Reads `source` ahead until `threshold` rows or its end (see the file's opening comment). */
export async function probeSize(source: RowSource, threshold: number): Promise<ProbedSource> {
  const { columns, positional } = source as Described;
  // The rule core's sinkInput applies: positional batches when every column is described with a type. Only a
  // source offering them is asked for its columns up front; another may know them only once it is read.
  const offersLane = typeof positional === 'function' && typeof columns === 'function';
  const described = offersLane ? await columns.call(source) : undefined;
  const fastLane =
    described !== undefined && described.length > 0 && described.every((column) => column.type !== undefined);
  const iterable: AsyncIterable<unknown[]> | Iterable<unknown[]> = fastLane
    ? positional!.call(source)
    : (source as AsyncIterable<Row[]> | Iterable<Row[]>);
  const iterator = (
    Symbol.asyncIterator in iterable
      ? (iterable as AsyncIterable<unknown[]>)[Symbol.asyncIterator]()
      : (iterable as Iterable<unknown[]>)[Symbol.iterator]()
  ) as AsyncIterator<unknown[]> | Iterator<unknown[]>;
  const ahead: unknown[][] = [];
  let rows = 0;
  let ended = false;
  try {
    while (rows < threshold) {
      const next = await iterator.next();
      if (next.done) {
        ended = true;
        break;
      }
      ahead.push(next.value);
      rows += next.value.length;
    }
  } catch (error) {
    await iterator.return?.();
    throw error;
  }
  let taken = false;
  async function* replay(): AsyncGenerator<never> {
    if (taken) throw new Error('size-probe: the rows were already read');
    taken = true;
    try {
      while (ahead.length > 0) yield ahead.shift() as never;
      if (ended) return;
      for (let next = await iterator.next(); !next.done; next = await iterator.next())
        yield next.value as never;
    } finally {
      await iterator.return?.();
    }
  }
  const own =
    typeof columns !== 'function'
      ? {}
      : { columns: described === undefined ? () => columns.call(source) : async () => described };
  const replayed: RowSource = fastLane
    ? ({
        ...own,
        positional: () => replay() as AsyncIterable<PositionalBatch>,
        [Symbol.asyncIterator]: () => {
          throw new Error('size-probe: a described source is read through positional()');
        },
      } as unknown as RowSource)
    : ({ ...own, [Symbol.asyncIterator]: replay } as unknown as RowSource);
  return {
    rows: replayed,
    large: !ended,
    fastLane,
    objects: fastLane ? [] : ([...ahead] as Row[][]),
    close: async () => {
      if (!taken) await iterator.return?.();
    },
  };
}
