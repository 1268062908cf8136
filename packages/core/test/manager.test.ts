// biome-ignore-all lint/suspicious/noTemplateCurlyInString: connections files here spell ${VAR} on purpose
import { describe, expect, test } from 'vitest';
import {
  ConnectorError,
  createConnectionManager,
  createRegistry,
  defineConnector,
  type Resolver,
} from '../src/index.js';
import { memoryConnector } from './support/memory-connector.js';
import { startMemoryServer } from './support/memory-server.js';
import { resolverFor } from './support/resolver.js';
import { scriptedConnector } from './support/scripted-connector.js';

function setup(connections: Parameters<typeof resolverFor>[1]) {
  const { plugin, log } = scriptedConnector();
  const registry = createRegistry([plugin, memoryConnector]);
  const manager = createConnectionManager({ registry, resolver: resolverFor(registry, connections) });
  return { manager, log, registry };
}

describe('createConnectionManager', () => {
  test('get opens a connection that works, and hands out the same one for its reference', async () => {
    const server = await startMemoryServer({ password: 'sesame-1' });
    const { manager } = setup({ '@memory.main': { port: server.port, password: 'sesame-1' } });
    try {
      const connection = await manager.get('@memory.main');
      expect(await connection.check()).toMatchObject({
        message: `memory server 1.0 at 127.0.0.1:${server.port}`,
      });
      expect(await manager.get('@memory.main')).toBe(connection);
      expect(await manager.get('@memory')).toBe(connection);
    } finally {
      await manager.closeAll();
      await server.close();
    }
  });

  test('concurrent gets of one reference share a single connect', async () => {
    const { manager, log } = setup({ '@scripted.a': { connect: 'gate' } });
    const gets = Array.from({ length: 10 }, (_, index) =>
      manager.get(index % 2 ? '@scripted.a' : '@scripted'),
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    log.openGates();
    const connections = await Promise.all(gets);
    expect(new Set(connections).size).toBe(1);
    expect(log.connects).toEqual(['@scripted.a']);
    await manager.closeAll();
  });

  test('different references get different connections', async () => {
    const { manager, log } = setup({ '@scripted.a': {}, '@scripted.b': {} });
    const [a, b] = await Promise.all([manager.get('@scripted.a'), manager.get('@scripted.b')]);
    expect(a).not.toBe(b);
    expect(log.connects.sort()).toEqual(['@scripted.a', '@scripted.b']);
    await manager.closeAll();
  });

  test('a failed connect is not kept: the next get connects again', async () => {
    let attempts = 0;
    const flaky = defineConnector({
      ...scriptedConnector('flaky').plugin,
      async connect() {
        attempts++;
        if (attempts === 1)
          throw new ConnectorError('server starting', { code: 'CONNECTION_REFUSED', category: 'network' });
        return { check: async () => ({ message: 'up' }), close: async () => {} };
      },
    });
    const registry = createRegistry([flaky]);
    const manager = createConnectionManager({
      registry,
      resolver: resolverFor(registry, { '@flaky.x': {} }),
    });
    await expect(manager.get('@flaky.x')).rejects.toMatchObject({
      code: 'CONNECTION_REFUSED',
      reference: '@flaky.x',
    });
    expect(await (await manager.get('@flaky.x')).check()).toEqual({ message: 'up' });
    expect(attempts).toBe(2);
    await manager.closeAll();
  });

  test('a driver error from connect goes through the plugin classifier and names the reference', async () => {
    const { manager } = setup({ '@scripted.down': { connect: 'throw', password: 'classified-secret-1' } });
    const error = await manager.get('@scripted.down').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConnectorError);
    expect(error).toMatchObject({
      code: 'CONNECTION_REFUSED',
      category: 'network',
      message: 'Connection refused',
      reference: '@scripted.down',
    });
  });

  test('an error the plugin cannot classify becomes CONNECT_FAILED, as does one whose classifier throws', async () => {
    const broken = (classifyError: () => ConnectorError | undefined) =>
      defineConnector({
        ...scriptedConnector('raw').plugin,
        classifyError,
        connect: async () => {
          throw new TypeError('driver exploded');
        },
      });
    for (const plugin of [
      broken(() => undefined),
      broken(() => {
        throw new Error('classifier bug');
      }),
    ]) {
      const registry = createRegistry([plugin]);
      const manager = createConnectionManager({
        registry,
        resolver: resolverFor(registry, { '@raw.x': {} }),
      });
      await expect(manager.get('@raw.x')).rejects.toMatchObject({
        code: 'CONNECT_FAILED',
        category: 'internal',
        message: 'driver exploded',
        reference: '@raw.x',
      });
    }
  });

  test('resolution errors pass through with the reference', async () => {
    const { manager, log } = setup({ '@scripted.env': { password: '${DB_PASSWORD}' } });
    await expect(manager.get('@scripted.env')).rejects.toMatchObject({
      code: 'MISSING_ENV',
      message: expect.stringContaining('environment variable DB_PASSWORD is not set'),
      reference: '@scripted.env',
    });
    await expect(manager.get('@scripted.nope')).rejects.toMatchObject({ code: 'UNKNOWN_ALIAS' });
    expect(log.connects).toEqual([]);
  });

  test('a reference whose family has no plugin is UNKNOWN_FAMILY naming the reference', async () => {
    const registry = createRegistry([memoryConnector]);
    const resolver: Resolver = {
      resolve: () => ({ reference: '@redis.cache', family: 'redis', alias: 'cache', config: {} }),
      references: () => ['@redis.cache'],
    };
    const manager = createConnectionManager({ registry, resolver });
    await expect(manager.get('@redis.cache')).rejects.toMatchObject({
      code: 'UNKNOWN_FAMILY',
      reference: '@redis.cache',
      message: 'No connector is registered for family "redis" (registered: memory)',
    });
  });

  test('closeAll closes every connection even when one close throws, then reports it', async () => {
    const { manager, log } = setup({
      '@scripted.a': {},
      '@scripted.b': { close: 'throw' },
      '@scripted.c': {},
    });
    await Promise.all(['@scripted.a', '@scripted.b', '@scripted.c'].map((ref) => manager.get(ref)));
    await expect(manager.closeAll()).rejects.toMatchObject({
      code: 'CLOSE_FAILED',
      category: 'internal',
      message: 'Closing 1 of 3 connections failed: @scripted.b (close failed for @scripted.b)',
      details: { references: ['@scripted.b'] },
    });
    expect(log.closes.sort()).toEqual(['@scripted.a', '@scripted.b', '@scripted.c']);
  });

  test('closeAll is idempotent: a second call closes nothing again and resolves', async () => {
    const { manager, log } = setup({ '@scripted.a': {}, '@scripted.b': { close: 'throw' } });
    await manager.get('@scripted.a');
    await manager.get('@scripted.b');
    const first = manager.closeAll();
    const second = manager.closeAll();
    await expect(first).rejects.toMatchObject({ code: 'CLOSE_FAILED' });
    await expect(second).resolves.toBeUndefined();
    await expect(manager.closeAll()).resolves.toBeUndefined();
    expect(log.closes.sort()).toEqual(['@scripted.a', '@scripted.b']);
  });

  test('after closeAll, get is MANAGER_CLOSED', async () => {
    const { manager } = setup({ '@scripted.a': {} });
    await manager.closeAll();
    await expect(manager.get('@scripted.a')).rejects.toMatchObject({
      code: 'MANAGER_CLOSED',
      message: 'Cannot open @scripted.a: the connection manager is closed',
      hint: 'Get connections before closeAll(), or create a new manager',
    });
  });

  test('closeAll does not wait for a connect in flight; that connection is closed when it arrives', async () => {
    const { manager, log } = setup({ '@scripted.slow': { connect: 'gate' } });
    const pending = manager.get('@scripted.slow');
    await new Promise((resolve) => setTimeout(resolve, 5));
    await manager.closeAll();
    expect(log.closes).toEqual([]);
    log.openGates();
    await expect(pending).rejects.toMatchObject({ code: 'MANAGER_CLOSED' });
    await new Promise((resolve) => setTimeout(resolve, 5));
    expect(log.closes).toEqual(['@scripted.slow']);
  });

  test('await using closes the manager at the end of the block', async () => {
    const { manager: created, log } = setup({ '@scripted.a': {} });
    {
      await using manager = created;
      await manager.get('@scripted.a');
      expect(log.closes).toEqual([]);
    }
    expect(log.closes).toEqual(['@scripted.a']);
  });
});
