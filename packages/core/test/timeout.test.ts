import { describe, expect, test } from 'vitest';
import { ConnectorError, withTimeout } from '../src/index.js';

/** Work that never settles and ignores its signal, but records whether the signal aborted. */
function deaf() {
  const seen: { reason?: unknown } = {};
  const work = (signal: AbortSignal) => {
    signal.addEventListener('abort', () => {
      seen.reason = signal.reason;
    });
    return new Promise<never>(() => undefined);
  };
  return { work, seen };
}

describe('withTimeout', () => {
  test("resolves with the work's value when it comes first", async () => {
    expect(await withTimeout(async () => 'done', { ms: 1000 })).toBe('done');
  });

  test("rejects with the work's own error when it comes first", async () => {
    const own = new Error('own failure');
    await expect(withTimeout(async () => Promise.reject(own), { ms: 1000 })).rejects.toBe(own);
  });

  test('stops waiting at the deadline even for work that ignores its signal, and aborts that signal as a TimeoutError', async () => {
    const { work, seen } = deaf();
    const error = await withTimeout(work, { ms: 20 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({ code: 'OPERATION_TIMEOUT', category: 'timeout', retryable: true });
    expect((seen.reason as Error).name).toBe('TimeoutError');
  });

  test('rejects with the error the caller names for the deadline', async () => {
    const mine = new ConnectorError('check gave up', { code: 'OPERATION_TIMEOUT', category: 'timeout' });
    await expect(withTimeout(deaf().work, { ms: 10, timeoutError: () => mine })).rejects.toBe(mine);
  });

  test("the caller's abort aborts the work and rejects with the caller's reason", async () => {
    const { work, seen } = deaf();
    const caller = new AbortController();
    const pending = withTimeout(work, { ms: undefined, signal: caller.signal });
    const reason = new Error('user cancelled');
    caller.abort(reason);
    await expect(pending).rejects.toBe(reason);
    expect(seen.reason).toBe(reason);
  });

  test('an already aborted signal stops before the work starts', async () => {
    let started = false;
    const caller = AbortSignal.abort(new Error('too late'));
    await expect(
      withTimeout(
        async () => {
          started = true;
        },
        { ms: 100, signal: caller },
      ),
    ).rejects.toThrow('too late');
    expect(started).toBe(false);
  });

  test('a negative or non-finite deadline is an options error', async () => {
    await expect(withTimeout(async () => 1, { ms: -1 })).rejects.toMatchObject({ code: 'INVALID_OPTIONS' });
    await expect(withTimeout(async () => 1, { ms: Number.NaN })).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
    });
  });
});
