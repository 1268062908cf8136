import { afterEach, describe, expect, test, vi } from 'vitest';
import { ConnectorError, type RetryEvent, withRetry } from '../src/index.js';

const transient = (n: number) =>
  new ConnectorError(`connection reset (${n})`, {
    code: 'CONNECTION_LOST',
    category: 'network',
    retryable: true,
  });
const permanent = new ConnectorError('access denied', { code: 'AUTH_FAILED', category: 'auth' });

/** A function that fails with `errors` in turn, then returns 'done'. */
function failing(...errors: unknown[]) {
  const calls: number[] = [];
  const fn = async (attempt: number) => {
    calls.push(attempt);
    const error = errors[attempt - 1];
    if (error !== undefined) throw error;
    return 'done';
  };
  return { fn, calls };
}

afterEach(() => {
  vi.restoreAllMocks();
});

describe('withRetry', () => {
  test('returns the first success without waiting', async () => {
    const { fn, calls } = failing();
    const retries: RetryEvent[] = [];
    expect(await withRetry(fn, { attempts: 3, baseMs: 1, maxMs: 1, onRetry: (r) => retries.push(r) })).toBe(
      'done',
    );
    expect(calls).toEqual([1]);
    expect(retries).toEqual([]);
  });

  test('retries retryable errors until one attempt succeeds, reporting each retry', async () => {
    const first = transient(1);
    const { fn, calls } = failing(first, transient(2));
    const retries: RetryEvent[] = [];
    expect(await withRetry(fn, { attempts: 3, baseMs: 1, maxMs: 5, onRetry: (r) => retries.push(r) })).toBe(
      'done',
    );
    expect(calls).toEqual([1, 2, 3]);
    expect(retries.map((r) => r.attempt)).toEqual([1, 2]);
    expect(retries[0]?.error).toBe(first);
  });

  test('rethrows an error that is not retryable at once', async () => {
    const { fn, calls } = failing(permanent, transient(2));
    await expect(withRetry(fn, { attempts: 5, baseMs: 1, maxMs: 1 })).rejects.toBe(permanent);
    expect(calls).toEqual([1]);
  });

  test('plain errors without retryable: true are not retried', async () => {
    const { fn, calls } = failing(new Error('ECONNRESET'), new Error('again'));
    await expect(withRetry(fn, { attempts: 5, baseMs: 1, maxMs: 1 })).rejects.toThrow('ECONNRESET');
    expect(calls).toEqual([1]);
  });

  test('gives up after `attempts` tries with the last error', async () => {
    const last = transient(3);
    const { fn, calls } = failing(transient(1), transient(2), last, transient(4));
    await expect(withRetry(fn, { attempts: 3, baseMs: 1, maxMs: 1 })).rejects.toBe(last);
    expect(calls).toEqual([1, 2, 3]);
  });

  test('waits up to baseMs doubled per retry and capped at maxMs (the top of the jitter range)', async () => {
    vi.spyOn(Math, 'random').mockReturnValue(0.999);
    const { fn } = failing(...[1, 2, 3, 4, 5].map(transient));
    const delays: number[] = [];
    await withRetry(fn, { attempts: 6, baseMs: 2, maxMs: 10, onRetry: (r) => delays.push(r.delayMs) });
    expect(delays.map((d) => Math.round(d / 0.999))).toEqual([2, 4, 8, 10, 10]);
  });

  test('full jitter: each wait is random between 0 and its cap', async () => {
    const delays: number[] = [];
    for (let run = 0; run < 20; run++) {
      const { fn } = failing(transient(1), transient(2));
      await withRetry(fn, { attempts: 3, baseMs: 4, maxMs: 6, onRetry: (r) => delays.push(r.delayMs) });
    }
    const caps = delays.map((_, index) => (index % 2 === 0 ? 4 : 6));
    delays.forEach((delay, index) => {
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThanOrEqual(caps[index] as number);
    });
    expect(new Set(delays.map((d) => d.toFixed(6))).size).toBeGreaterThan(30);
  });

  test('an abort during a wait rejects at once with the abort reason', async () => {
    const controller = new AbortController();
    const { fn, calls } = failing(transient(1), transient(2));
    const started = performance.now();
    const retrying = withRetry(fn, { attempts: 3, baseMs: 60_000, maxMs: 60_000, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('shutting down')), 20);
    await expect(retrying).rejects.toThrow('shutting down');
    expect(performance.now() - started).toBeLessThan(2000);
    expect(calls).toEqual([1]);
  });

  test('an aborted signal stops before the first attempt', async () => {
    const { fn, calls } = failing();
    await expect(
      withRetry(fn, { attempts: 3, baseMs: 1, maxMs: 1, signal: AbortSignal.abort(new Error('cancelled')) }),
    ).rejects.toThrow('cancelled');
    expect(calls).toEqual([]);
  });

  test('invalid options are INVALID_OPTIONS', async () => {
    const { fn } = failing();
    await expect(withRetry(fn, { attempts: 0, baseMs: 1, maxMs: 1 })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: 'Invalid retry options: attempts must be an integer ≥ 1, got 0',
    });
    await expect(withRetry(fn, { attempts: 2, baseMs: -1, maxMs: 1 })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: 'Invalid retry options: baseMs and maxMs must be ≥ 0, got -1 and 1',
    });
  });
});
