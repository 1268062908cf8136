import { ConnectorError } from '@osiris/core';

/** What the pool needs to know about the things it pools (kysely-style: a tiny structural driver). */
export interface PoolDriver<T> {
  /** Opens a new connection. */
  open(): Promise<T>;
  /** Closes a connection; `force` when it may be in the middle of something (and must be stopped on the server too). */
  close(item: T, force: boolean): Promise<void>;
  /** Proves an idle connection still answers; throws when it does not. */
  ping(item: T): Promise<void>;
  /** False once the connection is known to be broken. */
  isUsable(item: T): boolean;
  /** Abandons opens under way (their `open()` then rejects), so closing never waits on a server that does not answer. */
  abortOpens(): void;
}

/** How the pool is shaped (the SQLAlchemy QueuePool knobs of the original config). */
export interface PoolLimits {
  /** Connections kept open when idle. */
  size: number;
  /** Extra connections allowed under load; closed after `overflowIdleMs` without use. */
  overflow: number;
  /** Connections older than this are replaced instead of reused. */
  recycleMs: number;
  /** Ping a connection idle for longer than this before reusing it; undefined = never. */
  prePingIdleMs: number | undefined;
  /** How long `acquire` waits for a free connection before failing with POOL_EXHAUSTED. */
  acquireTimeoutMs: number;
  /** How long an overflow connection may sit idle before it is closed. */
  overflowIdleMs?: number;
}

interface Entry {
  createdAt: number;
  lastUsedAt: number;
}

interface Waiter<T> {
  resolve(item: T): void;
  reject(error: unknown): void;
}

const DEFAULT_OVERFLOW_IDLE_MS = 2_000;

/** What a caller of `acquire` waits for: a busy connection to come back, or a connection being opened or pinged. */
export type AcquirePhase = 'waiting' | 'connecting';

const poolClosed = () =>
  new ConnectorError('The connection pool is closed', {
    code: 'CONNECTION_CLOSED',
    category: 'internal',
    hint: 'Get a new connection from the manager; this one was closed',
  });

/**
 * A bounded pool: at most `size + overflow` connections, a bounded wait for a free one,
 * recycling of old connections and a ping before reusing one that sat idle.
 */
export class Pool<T> {
  private readonly entries = new Map<T, Entry>();
  /** Idle connections, most recently used last (reused first, so the others can age out). */
  private readonly idle: T[] = [];
  private readonly waiters: Waiter<T>[] = [];
  private opening = 0;
  private closed = false;
  private reaper: NodeJS.Timeout | undefined;
  private readonly closing = new Set<Promise<void>>();

  constructor(
    private readonly driver: PoolDriver<T>,
    private readonly limits: PoolLimits,
  ) {}

  /** Counts for diagnostics and tests. */
  stats(): { open: number; idle: number; busy: number; opening: number; waiting: number } {
    const open = this.entries.size;
    return {
      open,
      idle: this.idle.length,
      busy: open - this.idle.length,
      opening: this.opening,
      waiting: this.waiters.length,
    };
  }

  /**
   * A connection for the caller's exclusive use until `release` or `discard`; `onPhase` hears whether the caller
   * is waiting for a busy connection or for one being opened (so a caller that gives up can say which).
   */
  async acquire(signal?: AbortSignal, onPhase?: (phase: AcquirePhase) => void): Promise<T> {
    if (this.closed) throw poolClosed();
    signal?.throwIfAborted();
    onPhase?.('connecting');
    let item = await this.takeIdle();
    if (item === undefined) {
      if (this.closed) throw poolClosed();
      if (this.hasCapacity()) item = await this.openFor();
      else {
        onPhase?.('waiting');
        item = await this.wait(signal);
      }
    }
    if (signal?.aborted) {
      // The caller stopped waiting while the connection was being opened or pinged.
      this.release(item);
      throw signal.reason;
    }
    return item;
  }

  /** An idle connection that can be used at once (no ping due, not too old), without waiting; else undefined. */
  takeReady(): T | undefined {
    const item = this.idle.at(-1);
    if (item === undefined || this.closed) return undefined;
    const entry = this.entries.get(item) as Entry;
    const now = Date.now();
    const prePing = this.limits.prePingIdleMs;
    if (!this.driver.isUsable(item) || now - entry.createdAt >= this.limits.recycleMs) return undefined;
    if (prePing !== undefined && now - entry.lastUsedAt >= prePing) return undefined;
    this.idle.pop();
    entry.lastUsedAt = now;
    return item;
  }

  /** Gives a connection back for reuse. */
  release(item: T): void {
    const entry = this.entries.get(item);
    if (entry === undefined) return;
    const now = Date.now();
    if (this.closed || !this.driver.isUsable(item) || now - entry.createdAt >= this.limits.recycleMs) {
      this.discard(item, false);
      return;
    }
    entry.lastUsedAt = now;
    const waiter = this.waiters.shift();
    if (waiter !== undefined) {
      waiter.resolve(item);
      return;
    }
    this.idle.push(item);
    if (this.entries.size > this.limits.size) this.scheduleReap();
  }

  /** Closes a connection instead of reusing it; `force` when it may still be running something. */
  discard(item: T, force = true): void {
    if (!this.entries.delete(item)) return;
    this.removeIdle(item);
    this.track(this.driver.close(item, force));
    this.serveWaiters();
  }

  /** Closes every connection, idle or busy, and fails whoever still waits. Calling it again does nothing more. */
  async close(): Promise<void> {
    if (!this.closed) {
      this.closed = true;
      clearTimeout(this.reaper);
      for (const waiter of this.waiters.splice(0)) waiter.reject(poolClosed());
      this.driver.abortOpens();
      const idle = new Set(this.idle.splice(0));
      for (const item of [...this.entries.keys()]) {
        this.entries.delete(item);
        this.track(this.driver.close(item, !idle.has(item)));
      }
    }
    while (this.closing.size > 0 || this.opening > 0) {
      await Promise.race([...this.closing, new Promise((resolve) => setTimeout(resolve, 10))]);
    }
  }

  private hasCapacity(): boolean {
    return this.entries.size + this.opening < this.limits.size + this.limits.overflow;
  }

  /** The most recently used idle connection that is still good: not broken, not too old, answering a ping. */
  private async takeIdle(): Promise<T | undefined> {
    for (let item = this.idle.pop(); item !== undefined; item = this.idle.pop()) {
      const entry = this.entries.get(item);
      if (entry === undefined) continue;
      const now = Date.now();
      if (!this.driver.isUsable(item) || now - entry.createdAt >= this.limits.recycleMs) {
        this.discard(item, false);
        continue;
      }
      const prePing = this.limits.prePingIdleMs;
      if (prePing !== undefined && now - entry.lastUsedAt >= prePing) {
        try {
          await this.driver.ping(item);
        } catch {
          this.discard(item, false);
          continue;
        }
        if (this.closed) {
          this.discard(item, false);
          throw poolClosed();
        }
      }
      entry.lastUsedAt = now;
      return item;
    }
    return undefined;
  }

  private async openFor(): Promise<T> {
    this.opening += 1;
    let item: T;
    try {
      item = await this.driver.open();
    } finally {
      this.opening -= 1;
    }
    if (this.closed) {
      this.track(this.driver.close(item, false));
      throw poolClosed();
    }
    const now = Date.now();
    this.entries.set(item, { createdAt: now, lastUsedAt: now });
    return item;
  }

  private wait(signal: AbortSignal | undefined): Promise<T> {
    if (signal?.aborted) return Promise.reject(signal.reason);
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        settle();
        reject(this.exhausted(this.limits.acquireTimeoutMs));
      }, this.limits.acquireTimeoutMs);
      const onAbort = () => {
        settle();
        reject(signal?.reason);
      };
      const waiter: Waiter<T> = {
        resolve: (item) => {
          settle();
          resolve(item);
        },
        reject: (error) => {
          settle();
          reject(error);
        },
      };
      const settle = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', onAbort);
        const index = this.waiters.indexOf(waiter);
        if (index !== -1) this.waiters.splice(index, 1);
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(waiter);
    });
  }

  /** Capacity freed up (a connection was discarded): open one for the longest waiter. */
  private serveWaiters(): void {
    while (!this.closed && this.waiters.length > 0 && this.hasCapacity()) {
      const waiter = this.waiters.shift() as Waiter<T>;
      this.openFor().then(
        (item) => waiter.resolve(item),
        (error) => waiter.reject(error),
      );
    }
  }

  /** POOL_EXHAUSTED: no connection came free within `waitedMs` (the pool's own limit, or the caller's). */
  exhausted(waitedMs: number): ConnectorError {
    const { size, overflow } = this.limits;
    return new ConnectorError(
      `No free connection within ${waitedMs / 1000} s: all ${size + overflow} (pool_size ${size} + max_overflow ${overflow}) are busy`,
      {
        code: 'POOL_EXHAUSTED',
        category: 'timeout',
        retryable: true,
        hint: 'Run fewer queries at once, release streams you no longer read, or raise pool_size / max_overflow / pool_timeout',
      },
    );
  }

  /** Closes overflow connections that stayed idle, keeping `size` warm. */
  private scheduleReap(): void {
    if (this.reaper !== undefined) return;
    const idleMs = this.limits.overflowIdleMs ?? DEFAULT_OVERFLOW_IDLE_MS;
    this.reaper = setTimeout(() => {
      this.reaper = undefined;
      const now = Date.now();
      // idle[0] is the least recently used.
      while (this.entries.size > this.limits.size && this.idle.length > 0) {
        const oldest = this.idle[0] as T;
        if (now - (this.entries.get(oldest)?.lastUsedAt ?? 0) < idleMs) break;
        this.discard(oldest, false);
      }
      if (this.entries.size > this.limits.size && this.idle.length > 0) this.scheduleReap();
    }, idleMs);
    this.reaper.unref();
  }

  private removeIdle(item: T): void {
    const index = this.idle.indexOf(item);
    if (index !== -1) this.idle.splice(index, 1);
  }

  private track(closing: Promise<void>): void {
    const settled = closing.catch(() => {}).finally(() => this.closing.delete(settled));
    this.closing.add(settled);
  }
}
