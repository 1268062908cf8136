/** `rowBatchStream`: a `RowBatchStream` from an async generator, for plugin authors. */
import type { ColumnInfo, Row, RowBatchStream } from './contract/data.js';
import { ConnectorError } from './errors.js';

/** What `rowBatchStream` knows of the columns up front. */
export interface RowBatchStreamOptions {
  /** The columns, or how to learn them (e.g. from the server, before the first batch); default: the first batch's keys. */
  columns?: readonly ColumnInfo[] | (() => Promise<readonly ColumnInfo[]>);
}

/**
 * Wraps the batches an async generator yields as a `RowBatchStream`. The generator starts on the
 * first `for await` (or on `columns()` when the columns come from the first batch, which is then
 * kept for the loop); `break` or an error in the loop returns it, so its `finally` releases what it
 * holds. A stream is read once.
 */
export function rowBatchStream<R extends Row = Row>(
  batches: () => AsyncIterable<R[]>,
  options: RowBatchStreamOptions = {},
): RowBatchStream<R> {
  let iterator: AsyncIterator<R[]> | undefined;
  let peeked: Promise<IteratorResult<R[]>> | undefined;
  let reading = false;
  let known: Promise<readonly ColumnInfo[]> | undefined;

  const started = () => {
    iterator ??= batches()[Symbol.asyncIterator]();
    return iterator;
  };

  const fromFirstBatch = async (): Promise<readonly ColumnInfo[]> => {
    peeked ??= started().next();
    const first = await peeked;
    return first.done ? [] : Object.keys(first.value[0] ?? {}).map((name) => ({ name }));
  };

  async function* read(): AsyncGenerator<R[]> {
    const source = started();
    try {
      if (peeked !== undefined) {
        const first = await peeked;
        peeked = undefined;
        if (first.done) return;
        yield first.value;
      }
      for (;;) {
        const next = await source.next();
        if (next.done) return;
        yield next.value;
      }
    } finally {
      await source.return?.();
    }
  }

  return {
    columns() {
      const { columns } = options;
      known ??= typeof columns === 'function' ? columns() : Promise.resolve(columns ?? fromFirstBatch());
      return known;
    },
    [Symbol.asyncIterator]() {
      if (reading) {
        throw new ConnectorError('This row stream is being or has been read already', {
          code: 'STREAM_CONSUMED',
          category: 'internal',
          hint: 'Start a new read for a second pass',
        });
      }
      reading = true;
      return read();
    },
  };
}
