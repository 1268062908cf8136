/**
 * A `RowBatchStream` from a source that produces positional batches: sinks take them through `positional()`
 * as they are (the fast lane), user code iterating the stream gets row objects built from them.
 */
import type { ColumnInfo, PositionalBatch, Row, RowBatchStream } from '../contract/data.js';

/** The stream of a source whose reads yield positional batches in the order of `columns()`. */
export function positionalStream(
  columns: () => Promise<readonly ColumnInfo[]>,
  batches: () => AsyncIterable<PositionalBatch>,
): RowBatchStream {
  let known: Promise<readonly ColumnInfo[]> | undefined;
  const described = () => {
    known ??= columns();
    return known;
  };
  return {
    columns: described,
    positional: batches,
    async *[Symbol.asyncIterator](): AsyncGenerator<Row[]> {
      const toObjects = rowObjects((await described()).map((column) => column.name));
      for await (const batch of batches()) yield toObjects(batch);
    },
  };
}

/** Positional rows → row objects keyed by `names` (the inverse of `positionsOf`). */
export function rowObjects(names: readonly string[]): (batch: PositionalBatch) => Row[] {
  // Assigning `__proto__` would set the row's prototype instead of a key.
  const defined = names.map((name) => name === '__proto__');
  const width = names.length;
  return (batch) => {
    const rows: Row[] = new Array(batch.length);
    for (let r = 0; r < batch.length; r++) {
      const values = batch[r] as unknown[];
      const row: Row = {};
      for (let c = 0; c < width; c++) {
        if (defined[c])
          Object.defineProperty(row, names[c] as string, {
            value: values[c],
            enumerable: true,
            writable: true,
            configurable: true,
          });
        else row[names[c] as string] = values[c];
      }
      rows[r] = row;
    }
    return rows;
  };
}
