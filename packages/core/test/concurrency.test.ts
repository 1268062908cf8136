import { describe, expect, test } from 'vitest';
import { forEachConcurrently } from '../src/index.js';

/** A source that records how far it has been read, so read-ahead shows. */
async function* counted(count: number, pulled: { n: number }) {
  for (let i = 0; i < count; i++) {
    pulled.n = i + 1;
    yield i;
  }
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

describe('forEachConcurrently', () => {
  test('never runs more than the limit at once, and runs every item', async () => {
    let running = 0;
    let most = 0;
    const done: number[] = [];
    await forEachConcurrently([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      running += 1;
      most = Math.max(most, running);
      await tick();
      running -= 1;
      done.push(item);
    });
    expect(most).toBe(3);
    expect(done.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  test('pulls an item only when a slot is free, and stops pulling once a work returns false', async () => {
    const pulled = { n: 0 };
    const seen: number[] = [];
    await forEachConcurrently(counted(100, pulled), 2, async (item) => {
      seen.push(item);
      await tick();
      return item < 3;
    });
    expect(pulled.n).toBeLessThanOrEqual(6);
    expect(seen.length).toBe(pulled.n);
  });

  test('waits for every started work before rethrowing the first error', async () => {
    const settled: number[] = [];
    const failure = new Error('item 1 failed');
    const outcome = forEachConcurrently([0, 1, 2], 3, async (item) => {
      await tick();
      if (item === 1) throw failure;
      await tick();
      settled.push(item);
    });
    await expect(outcome).rejects.toBe(failure);
    expect(settled.sort()).toEqual([0, 2]);
  });

  test("rethrows the source's own error once the started work has settled", async () => {
    const settled: number[] = [];
    async function* failing() {
      yield 1;
      throw new Error('source broke');
    }
    await expect(
      forEachConcurrently(failing(), 2, async (item) => {
        await tick();
        settled.push(item);
      }),
    ).rejects.toThrow('source broke');
    expect(settled).toEqual([1]);
  });

  test('passes each item its index, and refuses a limit below 1', async () => {
    const indexes: number[] = [];
    await forEachConcurrently(['a', 'b'], 1, async (_, index) => {
      indexes.push(index);
    });
    expect(indexes).toEqual([0, 1]);
    await expect(forEachConcurrently([1], 0, async () => {})).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
  });
});
