import { describe, expect, test } from 'vitest';
import { mysqlConfigSchema } from '../src/config.js';
import { Pool, type PoolLimits } from '../src/pool.js';
import { type Session, SessionFactory } from '../src/session.js';
import { configFor, freezableProxy, sleep, useDatabase } from './support.js';

describe('pool of real server connections', () => {
  const { db } = useDatabase();

  function pool(limits: Partial<PoolLimits>, overrides: Record<string, unknown> = {}) {
    const sessions = new SessionFactory(mysqlConfigSchema.parse(configFor(db(), overrides)), {});
    const opened: Session[] = [];
    const instance = new Pool<Session>(
      {
        open: async () => {
          const session = await sessions.open();
          opened.push(session);
          return session;
        },
        close: (session, force) => sessions.close(session, force),
        ping: (session) => session.ping(500),
        isUsable: (session) => !session.broken,
        abortOpens: () => sessions.abortOpens(),
      },
      {
        size: 2,
        overflow: 0,
        recycleMs: 60_000,
        prePingIdleMs: undefined,
        acquireTimeoutMs: 1_000,
        ...limits,
      },
    );
    return { pool: instance, opened };
  }

  const threadIdOf = async (session: Session) =>
    Number(((await session.run('SELECT CONNECTION_ID() AS id')).rows as Array<{ id: bigint }>)[0]?.id);

  test('never more than size + overflow; overflow connections close again once idle', async () => {
    const { pool: p } = pool({ size: 1, overflow: 2, overflowIdleMs: 100 });
    const held = await Promise.all([p.acquire(), p.acquire(), p.acquire()]);
    expect(p.stats()).toMatchObject({ open: 3, busy: 3 });
    const fourth = p.acquire();
    await sleep(50);
    expect(p.stats()).toMatchObject({ open: 3, waiting: 1 });
    p.release(held[0] as Session);
    // The waiter got the released connection; nothing new was opened.
    expect(await fourth).toBe(held[0]);
    for (const session of [held[1], held[2], held[0]]) p.release(session as Session);
    expect(p.stats()).toMatchObject({ open: 3, idle: 3 });
    await expect.poll(() => p.stats().open, { timeout: 2_000 }).toBe(1);
    await p.close();
  });

  test('a full pool fails the wait with POOL_EXHAUSTED (timeout) after acquireTimeoutMs, and an abort stops the wait', async () => {
    const { pool: p } = pool({ size: 1, overflow: 0, acquireTimeoutMs: 300 });
    const held = await p.acquire();
    const started = Date.now();
    await expect(p.acquire()).rejects.toMatchObject({
      code: 'POOL_EXHAUSTED',
      category: 'timeout',
      retryable: true,
    });
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    const controller = new AbortController();
    const waiting = p.acquire(controller.signal);
    controller.abort(new Error('caller gave up'));
    await expect(waiting).rejects.toThrow('caller gave up');
    expect(p.stats().waiting).toBe(0);
    p.release(held);
    await p.close();
  });

  test('connections older than recycleMs are replaced', async () => {
    const { pool: p, opened } = pool({ size: 1, recycleMs: 200 });
    const first = await p.acquire();
    const firstId = await threadIdOf(first);
    p.release(first);
    await sleep(250);
    const second = await p.acquire();
    expect(await threadIdOf(second)).not.toBe(firstId);
    expect(opened).toHaveLength(2);
    expect(first.broken).toBe(true);
    p.release(second);
    await p.close();
  });

  test('pre-ping: an idle connection on a dead link is dropped and a fresh one handed out', async () => {
    const proxy = await freezableProxy(db());
    try {
      const { pool: p, opened } = pool(
        { size: 1, prePingIdleMs: 0 },
        { host: '127.0.0.1', port: proxy.port },
      );
      const first = await p.acquire();
      p.release(first);
      // The link goes silent without closing: only a ping can tell.
      proxy.freeze();
      const second = await p.acquire();
      expect(second).not.toBe(first);
      expect(opened).toHaveLength(2);
      expect((await second.run('SELECT 1 AS ok')).rows).toEqual([{ ok: 1 }]);
      p.release(second);
      await p.close();
    } finally {
      await proxy.close();
    }
  });

  test('close() fails waiters with CONNECTION_CLOSED, ends every connection, and refuses new work', async () => {
    const { pool: p, opened } = pool({ size: 1 });
    const held = await p.acquire();
    const waiting = p.acquire().catch((error: unknown) => error);
    await p.close();
    expect(await waiting).toMatchObject({ code: 'CONNECTION_CLOSED' });
    await expect(p.acquire()).rejects.toMatchObject({ code: 'CONNECTION_CLOSED' });
    expect(held.broken).toBe(true);
    expect(opened.every((session) => session.broken)).toBe(true);
    await p.close();
  });
});
