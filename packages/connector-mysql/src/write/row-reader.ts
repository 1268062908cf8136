import type { Row, RowSource } from '@osiris/core';

/** Pulls rows from a source of batches in whatever group size the writer needs, with a look at the first batch. */
export class RowReader {
  private readonly iterator: Iterator<Row[]> | AsyncIterator<Row[]>;
  private current: Row[] = [];
  private offset = 0;
  private done = false;

  constructor(source: RowSource) {
    this.iterator =
      Symbol.asyncIterator in source
        ? (source as AsyncIterable<Row[]>)[Symbol.asyncIterator]()
        : (source as Iterable<Row[]>)[Symbol.iterator]();
  }

  /** The first non-empty batch, without consuming it (empty when the source has no rows). */
  async peek(): Promise<Row[]> {
    if (this.offset < this.current.length) return this.current.slice(this.offset);
    await this.fill();
    return this.current.slice(this.offset);
  }

  /** Whether any row is left. */
  async hasMore(): Promise<boolean> {
    return this.offset < this.current.length || (await this.fill());
  }

  /** Up to `max` rows (fewer only at the end of the source; none when it is exhausted). */
  async take(max: number): Promise<Row[]> {
    const rows: Row[] = [];
    while (rows.length < max) {
      if (this.offset >= this.current.length && !(await this.fill())) break;
      const wanted = max - rows.length;
      if (this.offset === 0 && rows.length === 0 && this.current.length === max) {
        // The common case: source and writer batches line up, hand the batch over without copying.
        this.offset = max;
        return this.current;
      }
      const end = Math.min(this.current.length, this.offset + wanted);
      for (let index = this.offset; index < end; index++) rows.push(this.current[index] as Row);
      this.offset = end;
    }
    return rows;
  }

  /** Stops the source early (its `finally` blocks run, its connection or file is released). */
  async close(): Promise<void> {
    if (this.done) return;
    this.done = true;
    await this.iterator.return?.();
  }

  private async fill(): Promise<boolean> {
    while (!this.done) {
      const next = await this.iterator.next();
      if (next.done) {
        this.done = true;
        return false;
      }
      if (next.value.length > 0) {
        this.current = next.value;
        this.offset = 0;
        return true;
      }
    }
    return false;
  }
}
