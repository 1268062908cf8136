/**
 * `forEachConcurrently`: the one way to run work on many items with a bound on how many run at
 * once, so that no caller re-implements the slot bookkeeping (and its edge cases) on its own.
 */
import { checkOptions } from './check-options.js';

/**
 * Runs `work` on each item of `items` with at most `limit` in flight, pulling the next item only
 * when a slot is free (so a lazy source is never read ahead). Once one `work` returns `false` or
 * throws, no further item is pulled. Either way every `work` started has settled when this
 * returns; it then rethrows the first error, from a `work` or from the source itself.
 */
export async function forEachConcurrently<T>(
  items: Iterable<T> | AsyncIterable<T>,
  limit: number,
  work: (item: T, index: number) => Promise<unknown>,
): Promise<void> {
  checkOptions(
    'concurrency',
    [[Number.isInteger(limit) && limit >= 1, `limit must be an integer ≥ 1, got ${limit}`]],
    'forEachConcurrently(items, 4, work)',
  );
  const running = new Set<Promise<void>>();
  let stopped = false;
  let failure: { error: unknown } | undefined;
  let index = 0;
  try {
    for await (const item of items) {
      const task: Promise<void> = work(item, index++).then(
        (goOn) => {
          if (goOn === false) stopped = true;
        },
        (error: unknown) => {
          stopped = true;
          failure ??= { error };
        },
      );
      running.add(task);
      task.finally(() => running.delete(task));
      if (running.size >= limit) await Promise.race(running);
      if (stopped) break;
    }
  } finally {
    await Promise.all(running);
  }
  if (failure !== undefined) throw failure.error;
}
