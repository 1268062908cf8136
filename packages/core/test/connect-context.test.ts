import { describe, expect, test } from 'vitest';
import {
  type ConnectContext,
  ConnectorError,
  createConnectionManager,
  createRegistry,
  defineConnector,
  doctor,
} from '../src/index.js';
import { CONNECTIONS_PATH, resolverFor } from './support/resolver.js';
import { scriptedConnector } from './support/scripted-connector.js';

/** A plugin whose connect() records its context and waits until its signal aborts. */
function waitingPlugin() {
  const contexts: ConnectContext[] = [];
  const plugin = defineConnector({
    ...scriptedConnector('waiting').plugin,
    async connect(_config, context) {
      contexts.push(context);
      return new Promise<never>((_, reject) => {
        context.signal?.addEventListener('abort', () => reject(new Error('connect cancelled')));
      });
    },
  });
  return { plugin, contexts };
}

describe('check() errors are routed in one place', () => {
  test('a direct check() throws the plugin-classified error naming the reference, as doctor reports it', async () => {
    const { plugin } = scriptedConnector();
    const registry = createRegistry([plugin]);
    const resolver = resolverFor(registry, { '@scripted.bad': { check: 'throw', password: 'routed-pw-1' } });
    const manager = createConnectionManager({ registry, resolver });
    const connection = await manager.get('@scripted.bad');
    const direct = await connection.check().then(
      () => expect.fail('check() succeeded'),
      (error: unknown) => error as ConnectorError,
    );
    expect(direct).toBeInstanceOf(ConnectorError);
    expect(direct).toMatchObject({ code: 'CHECK_FAILED', reference: '@scripted.bad' });
    expect(direct.message).not.toContain('routed-pw-1');
    const report = await doctor({ registry, resolver });
    expect(report.results[0]).toMatchObject({ code: direct.code, message: direct.message });
    await manager.closeAll();
  });

  test('the plugin classifier decides what a check error is', async () => {
    const base = scriptedConnector('refusing').plugin;
    const plugin = defineConnector({
      ...base,
      async connect(config, context) {
        const connection = await base.connect(config, context);
        return {
          ...connection,
          check: async () => {
            throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
          },
        };
      },
    });
    const registry = createRegistry([plugin]);
    const manager = createConnectionManager({
      registry,
      resolver: resolverFor(registry, { '@refusing.x': {} }),
    });
    await expect((await manager.get('@refusing.x')).check()).rejects.toMatchObject({
      code: 'CONNECTION_REFUSED',
      category: 'network',
      reference: '@refusing.x',
    });
    await manager.closeAll();
  });
});

describe('ConnectContext', () => {
  test('carries the connections file folder, a signal and (from doctor) a deadline', async () => {
    const { plugin, contexts } = waitingPlugin();
    const registry = createRegistry([plugin]);
    const resolver = resolverFor(registry, { '@waiting.x': {} });
    const before = Date.now();
    const report = await doctor({ registry, resolver, timeoutMs: 100 });
    expect(report.results[0]).toMatchObject({ code: 'OPERATION_TIMEOUT' });
    const [context] = contexts;
    expect(context?.configDir).toBe(CONNECTIONS_PATH.replace(/\/[^/]+$/, ''));
    expect(context?.deadline).toBeGreaterThanOrEqual(before + 90);
    expect(context?.deadline).toBeLessThanOrEqual(Date.now());
    // doctor stopped waiting and said so: the connect was cancelled, not just abandoned.
    expect(context?.signal?.aborted).toBe(true);
  });

  test('closeAll() aborts the signal of a connect still in flight', async () => {
    const { plugin, contexts } = waitingPlugin();
    const registry = createRegistry([plugin]);
    const manager = createConnectionManager({
      registry,
      resolver: resolverFor(registry, { '@waiting.x': {} }),
    });
    const pending = manager.get('@waiting.x').catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(contexts[0]?.signal?.aborted).toBe(false);
    await manager.closeAll();
    expect(contexts[0]?.signal?.aborted).toBe(true);
    expect(await pending).toMatchObject({ reference: '@waiting.x' });
  });
});

describe('manager.get(reference, plugin)', () => {
  test('is typed by the plugin, and refuses a reference of another family instead of casting', async () => {
    const { plugin } = scriptedConnector();
    const other = scriptedConnector('other').plugin;
    const registry = createRegistry([plugin, other]);
    const manager = createConnectionManager({
      registry,
      resolver: resolverFor(registry, { '@scripted.a': {}, '@other.b': {} }),
    });
    const connection = await manager.get('@scripted.a', plugin);
    expect(await connection.check()).toMatchObject({ message: 'scripted ok' });
    await expect(manager.get('@other.b', plugin)).rejects.toMatchObject({
      code: 'WRONG_FAMILY',
      reference: '@other.b',
      message: '@other.b is a other connection, not scripted: it cannot be opened as one',
    });
    await manager.closeAll();
  });

  test('the connection keeps its own members and identity checks', async () => {
    class Pool {
      readonly #secret = 'private-field';
      check = async () => ({ message: this.#secret });
      reveal() {
        return this.#secret;
      }
      async close() {}
    }
    const plugin = defineConnector({
      ...scriptedConnector('pool').plugin,
      connect: async () => new Pool(),
    });
    const registry = createRegistry([plugin]);
    const manager = createConnectionManager({ registry, resolver: resolverFor(registry, { '@pool.x': {} }) });
    const pool = await manager.get('@pool.x', plugin);
    expect(pool).toBeInstanceOf(Pool);
    expect(pool.reveal()).toBe('private-field');
    expect(pool.reveal).toBe(pool.reveal);
    expect(await pool.check()).toEqual({ message: 'private-field' });
    await manager.closeAll();
  });
});
