import type { Row, RowSource } from '@osiris/core';

/** The non-empty batches of a row source, with a look at the first one before writing starts. */
export class BatchReader {
  private readonly iterator: Iterator<Row[]> | AsyncIterator<Row[]>;
  private peeked: Row[] | undefined;
  private done = false;

  constructor(source: RowSource) {
    this.iterator =
      Symbol.asyncIterator in source
        ? (source as AsyncIterable<Row[]>)[Symbol.asyncIterator]()
        : (source as Iterable<Row[]>)[Symbol.iterator]();
  }

  /** The first non-empty batch, still to be returned by `next` (empty when the source has no rows). */
  async peek(): Promise<readonly Row[]> {
    this.peeked ??= await this.pull();
    return this.peeked ?? [];
  }

  /** The next non-empty batch; undefined at the end. */
  async next(): Promise<Row[] | undefined> {
    const batch = this.peeked ?? (await this.pull());
    this.peeked = undefined;
    return batch;
  }

  /** Stops the source early (its `finally` blocks run, its connection or file is released). */
  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.iterator.return?.();
  }

  private async pull(): Promise<Row[] | undefined> {
    while (!this.done) {
      const next = await this.iterator.next();
      if (next.done) {
        this.done = true;
        return undefined;
      }
      if (next.value.length > 0) return next.value;
    }
    return undefined;
  }
}
