/** The non-empty batches of a source, with a look at the first one before writing starts. */
export class BatchReader<T> {
  private readonly iterator: Iterator<T[]> | AsyncIterator<T[]>;
  private peeked: T[] | undefined;
  private done = false;

  constructor(source: Iterable<T[]> | AsyncIterable<T[]>) {
    this.iterator =
      Symbol.asyncIterator in source
        ? (source as AsyncIterable<T[]>)[Symbol.asyncIterator]()
        : (source as Iterable<T[]>)[Symbol.iterator]();
  }

  /** The first non-empty batch, still to be returned by `next` (empty when the source has no rows). */
  async peek(): Promise<readonly T[]> {
    this.peeked ??= await this.pull();
    return this.peeked ?? [];
  }

  /** The next non-empty batch; undefined at the end. */
  async next(): Promise<T[] | undefined> {
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

  private async pull(): Promise<T[] | undefined> {
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
