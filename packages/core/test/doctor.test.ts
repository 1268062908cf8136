// biome-ignore-all lint/suspicious/noTemplateCurlyInString: connections files here spell ${VAR} on purpose
import { closedPort } from '@osiris/connector-testkit';
import { describe, expect, test } from 'vitest';
import { createConnectionManager, createRegistry, type DoctorResult, doctor } from '../src/index.js';
import { memoryConnector } from './support/memory-connector.js';
import { startMemoryServer } from './support/memory-server.js';
import { CONNECTIONS_PATH, resolverFor } from './support/resolver.js';
import { scriptedConnector } from './support/scripted-connector.js';

function setup(connections: Parameters<typeof resolverFor>[1]) {
  const { plugin, log } = scriptedConnector();
  const registry = createRegistry([plugin, memoryConnector]);
  return { registry, resolver: resolverFor(registry, connections), log };
}

const byReference = (results: DoctorResult[]) => Object.fromEntries(results.map((r) => [r.reference, r]));

describe('doctor', () => {
  test('reports every reference ok with what its check found, sorted by reference', async () => {
    const server = await startMemoryServer({ password: 'pw-ok-1', version: '2.5' });
    try {
      const { registry, resolver } = setup({
        '@memory.zeta': { port: server.port, password: 'pw-ok-1' },
        '@memory.alpha': { port: String(server.port), password: 'pw-ok-1' },
        '@scripted.a': {},
      });
      const report = await doctor({ registry, resolver });
      expect(report.ok).toBe(true);
      expect(report.results.map((r) => r.reference)).toEqual([
        '@memory.alpha',
        '@memory.zeta',
        '@scripted.a',
      ]);
      expect(report.results[0]).toEqual({
        reference: '@memory.alpha',
        family: 'memory',
        alias: 'alpha',
        status: 'ok',
        latencyMs: expect.any(Number),
        message: `memory server 2.5 at 127.0.0.1:${server.port}`,
        details: { version: '2.5' },
      });
    } finally {
      await server.close();
    }
  });

  test('one bad alias never hides the others: error, failed and ok side by side', async () => {
    const server = await startMemoryServer({ password: 'right-pw' });
    const refused = await closedPort();
    try {
      const { registry, resolver } = setup(
        [
          'connections:',
          '  memory:',
          `    good: { port: ${server.port}, password: right-pw }`,
          `    wrong: { port: ${server.port}, password: wrong-pw }`,
          `    down: { port: ${refused}, password: right-pw }`,
          '    badport: { port: eighty, password: right-pw }',
          '    env:',
          `      port: ${server.port}`,
          '      password: ${MEM_PASSWORD}',
          '  redis:',
          '    cache: { host: localhost }',
        ].join('\n'),
      );
      const report = await doctor({ registry, resolver });
      expect(report.ok).toBe(false);
      const results = byReference(report.results);
      expect(Object.keys(results)).toEqual([
        '@memory.badport',
        '@memory.down',
        '@memory.env',
        '@memory.good',
        '@memory.wrong',
        '@redis.cache',
      ]);
      expect(results['@memory.good']).toMatchObject({ status: 'ok' });
      expect(results['@memory.wrong']).toMatchObject({
        status: 'failed',
        category: 'auth',
        code: 'AUTH_FAILED',
        message: `Memory server 127.0.0.1:${server.port} refused the password of user tester`,
        hint: 'Check user and password',
      });
      expect(results['@memory.down']).toMatchObject({
        status: 'failed',
        category: 'network',
        code: 'CONNECTION_REFUSED',
        message: `Cannot reach memory server 127.0.0.1:${refused}: ECONNREFUSED`,
      });
      expect(results['@memory.badport']).toMatchObject({
        family: 'memory',
        alias: 'badport',
        status: 'error',
        category: 'config',
        code: 'CONFIG_INVALID',
        // The wording of the problem is the resolver's; doctor passes it on with its position.
        message: expect.stringMatching(
          /^@memory\.badport: field "port": .+ \(\/project\/osiris_connections\.yaml:6:22\)$/,
        ),
      });
      expect(results['@memory.env']).toEqual({
        reference: '@memory.env',
        family: 'memory',
        alias: 'env',
        status: 'error',
        category: 'config',
        code: 'MISSING_ENV',
        latencyMs: expect.any(Number),
        message: expect.stringContaining('MEM_PASSWORD is not set'),
        hint: expect.stringContaining('Set MEM_PASSWORD'),
        details: expect.objectContaining({ variable: 'MEM_PASSWORD', location: `${CONNECTIONS_PATH}:9:17` }),
      });
      expect(results['@redis.cache']).toMatchObject({
        family: 'redis',
        alias: 'cache',
        status: 'error',
        code: 'UNKNOWN_FAMILY',
        hint: expect.stringContaining('pnpm add osiris-connector-redis'),
      });
    } finally {
      await server.close();
    }
  });

  test('checks only the given references, canonical and once each; unknown ones are errors', async () => {
    const { registry, resolver, log } = setup({
      '@scripted.only': {},
      '@memory.skipme': { port: 1, password: 'xxxx' },
    });
    const report = await doctor({
      registry,
      resolver,
      references: ['@scripted', '@scripted.only', '@scripted.nope', 'not a reference'],
    });
    expect(report.results.map((r) => [r.reference, r.status, r.family, r.alias])).toEqual([
      ['@scripted.nope', 'error', 'scripted', 'nope'],
      ['@scripted.only', 'ok', 'scripted', 'only'],
      ['not a reference', 'error', 'not a reference', ''],
    ]);
    expect(log.connects).toEqual(['@scripted.only']);
  });

  test('a check that hangs and ignores its signal is failed/timeout within the timeout', async () => {
    const { registry, resolver } = setup({
      '@scripted.hung': { check: 'ignore-abort' },
      '@scripted.fine': {},
    });
    const started = performance.now();
    const report = await doctor({ registry, resolver, timeoutMs: 300 });
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(290);
    expect(elapsed).toBeLessThan(300 + 200);
    const results = byReference(report.results);
    expect(results['@scripted.hung']).toMatchObject({
      status: 'failed',
      category: 'timeout',
      code: 'OPERATION_TIMEOUT',
      message: 'No answer from @scripted.hung within 300 ms',
      hint: expect.stringContaining('reachable'),
    });
    expect(results['@scripted.hung']?.latencyMs).toBeLessThan(300 + 200);
    expect(results['@scripted.fine']).toMatchObject({ status: 'ok' });
    expect(report.ok).toBe(false);
  });

  test('a connect that hangs is failed/timeout too, and the connection is closed if it ever arrives', async () => {
    const { registry, resolver, log } = setup({ '@scripted.stuck': { connect: 'gate' } });
    const started = performance.now();
    const report = await doctor({ registry, resolver, timeoutMs: 200 });
    expect(performance.now() - started).toBeLessThan(200 + 200);
    expect(report.results[0]).toMatchObject({
      status: 'failed',
      category: 'timeout',
      message: 'No answer from @scripted.stuck within 200 ms (still connecting)',
    });
    log.openGates();
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(log.closes).toEqual(['@scripted.stuck']);
  });

  test("a connector's own timeout error wins over doctor's when it reports in time", async () => {
    const silent = await startMemoryServer({ silent: true });
    try {
      const { registry, resolver } = setup({ '@memory.silent': { port: silent.port, password: 'whatever' } });
      const report = await doctor({ registry, resolver, timeoutMs: 250 });
      expect(report.results[0]).toMatchObject({
        status: 'failed',
        category: 'timeout',
        code: 'OPERATION_TIMEOUT',
        message: expect.stringMatching(
          new RegExp(`^No answer from memory server 127.0.0.1:${silent.port} within \\d+ ms$`),
        ),
      });
    } finally {
      await silent.close();
    }
  });

  test('a check that throws a raw error is failed, classified or CHECK_FAILED', async () => {
    const { registry, resolver } = setup({ '@scripted.bad': { check: 'throw', password: 'raw-check-pw' } });
    const report = await doctor({ registry, resolver });
    expect(report.results[0]).toMatchObject({
      status: 'failed',
      category: 'internal',
      code: 'CHECK_FAILED',
      message: 'query failed: password *** rejected',
    });
  });

  test('a hung check is reported in time even when closing its connection is slow', async () => {
    const { registry, resolver, log } = setup({ '@scripted.hung': { check: 'ignore-abort', close: 'slow' } });
    const started = performance.now();
    const report = await doctor({ registry, resolver, timeoutMs: 200 });
    expect(performance.now() - started).toBeLessThan(200 + 200);
    expect(report.results[0]).toMatchObject({ status: 'failed', code: 'OPERATION_TIMEOUT' });
    expect(log.closes).toEqual(['@scripted.hung']);
  });

  test('a check that resolves to nothing counts as ok', async () => {
    const { registry, resolver } = setup({ '@scripted.bare': { check: 'bare' } });
    expect((await doctor({ registry, resolver })).results[0]).toMatchObject({
      status: 'ok',
      message: 'The connection answered its check',
    });
  });

  test('a connection without check() is skipped, which does not make the report fail', async () => {
    const { registry, resolver, log } = setup({ '@scripted.nocheck': { check: 'none' } });
    const report = await doctor({ registry, resolver });
    expect(report).toEqual({
      ok: true,
      results: [
        {
          reference: '@scripted.nocheck',
          family: 'scripted',
          alias: 'nocheck',
          status: 'skipped',
          latencyMs: expect.any(Number),
          message: 'Connected; the scripted connector offers no check',
        },
      ],
    });
    expect(log.closes).toEqual(['@scripted.nocheck']);
  });

  test('closes every connection it opened itself, whatever the outcome', async () => {
    const { registry, resolver, log } = setup({
      '@scripted.ok': {},
      '@scripted.throws': { check: 'throw' },
      '@scripted.hung': { check: 'ignore-abort' },
      '@scripted.closefails': { close: 'throw' },
    });
    const report = await doctor({ registry, resolver, timeoutMs: 150 });
    expect(byReference(report.results)['@scripted.closefails']).toMatchObject({ status: 'ok' });
    expect(log.closes.sort()).toEqual([
      '@scripted.closefails',
      '@scripted.hung',
      '@scripted.ok',
      '@scripted.throws',
    ]);
  });

  test("with a caller's manager it uses the shared connections and leaves them open", async () => {
    const { registry, resolver, log } = setup({ '@scripted.a': {}, '@scripted.b': {} });
    const manager = createConnectionManager({ registry, resolver });
    const before = await manager.get('@scripted.a');
    const report = await doctor({ manager });
    expect(report.ok).toBe(true);
    expect(log.connects.sort()).toEqual(['@scripted.a', '@scripted.b']);
    expect(log.closes).toEqual([]);
    expect(await manager.get('@scripted.a')).toBe(before);
    await manager.closeAll();
    expect(log.closes.sort()).toEqual(['@scripted.a', '@scripted.b']);
  });

  test('runs at most `concurrency` checks at once (default 8)', async () => {
    const aliases = Object.fromEntries(
      Array.from({ length: 12 }, (_, i) => [`@scripted.s${i}`, { check: 'slow' }]),
    );
    const limited = setup(aliases);
    expect((await doctor({ ...limited, concurrency: 3 })).results).toHaveLength(12);
    expect(limited.log.maxRunning).toBe(3);
    const unlimited = setup(aliases);
    await doctor({ registry: unlimited.registry, resolver: unlimited.resolver });
    expect(unlimited.log.maxRunning).toBe(8);
  });

  test('an empty connections file is ok with no results', async () => {
    const { registry, resolver } = setup({});
    expect(await doctor({ registry, resolver })).toEqual({ ok: true, results: [] });
  });

  test('invalid options are INVALID_OPTIONS', async () => {
    const { registry, resolver } = setup({});
    await expect(doctor({ registry } as never)).rejects.toMatchObject({
      code: 'INVALID_OPTIONS',
      message: 'Invalid doctor options: pass either manager, or registry and resolver',
    });
    await expect(doctor({ registry, resolver, timeoutMs: 0 })).rejects.toMatchObject({
      message: 'Invalid doctor options: timeoutMs must be a positive number, got 0',
    });
    await expect(doctor({ registry, resolver, concurrency: 1.5 })).rejects.toMatchObject({
      message: 'Invalid doctor options: concurrency must be an integer ≥ 1, got 1.5',
    });
  });
});
