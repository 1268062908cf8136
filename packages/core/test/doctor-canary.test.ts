// biome-ignore-all lint/suspicious/noTemplateCurlyInString: connections files here spell ${VAR} on purpose
import { inspect } from 'node:util';
import { expect, test } from 'vitest';
import { createConnectionManager, createRegistry, doctor } from '../src/index.js';
import { memoryConnector } from './support/memory-connector.js';
import { startMemoryServer } from './support/memory-server.js';
import { resolverFor } from './support/resolver.js';
import { scriptedConnector } from './support/scripted-connector.js';

const canary = `canary-${process.pid}-doctor-p@ss/w:rd+"%`;
const spellings = [canary, encodeURIComponent(canary), JSON.stringify(canary).slice(1, -1)];

test('no path through doctor lets a secret value out, whatever fails and however it is printed', async () => {
  const server = await startMemoryServer({ password: 'not-the-canary' });
  try {
    const registry = createRegistry([scriptedConnector().plugin, memoryConnector]);
    const yaml = [
      'connections:',
      '  scripted:',
      '    ok: { password: "${CANARY_PASSWORD}" }',
      '    chatty: { password: "${CANARY_PASSWORD}", check: chatty }',
      '    missing_env: { password: "${CANARY_PASSWORD}${NOT_SET}" }',
      '    bad_config: { password: "${CANARY_PASSWORD}", check: sideways }',
      '    connect_throws: { password: "${CANARY_PASSWORD}", connect: throw }',
      '    check_throws: { password: "${CANARY_PASSWORD}", check: throw }',
      '    hangs: { password: "${CANARY_PASSWORD}", check: ignore-abort }',
      '  memory:',
      `    auth: { port: ${server.port}, password: "\${CANARY_PASSWORD}" }`,
      '    refused: { port: 1, password: "${CANARY_PASSWORD}" }',
      '  nosuch:',
      '    x: { password: "${CANARY_PASSWORD}" }',
    ].join('\n');
    const resolver = resolverFor(registry, yaml, { CANARY_PASSWORD: canary });
    const manager = createConnectionManager({ registry, resolver });
    const reports = [
      await doctor({ registry, resolver, timeoutMs: 300 }),
      await doctor({ manager, timeoutMs: 300 }),
    ];
    await manager.closeAll();

    for (const report of reports) {
      expect(
        Object.fromEntries(report.results.map((r) => [r.reference, `${r.status} ${r.code ?? ''}`])),
      ).toEqual({
        '@memory.auth': 'failed AUTH_FAILED',
        '@memory.refused': 'failed CONNECTION_REFUSED',
        '@nosuch.x': 'error UNKNOWN_FAMILY',
        '@scripted.bad_config': 'error CONFIG_INVALID',
        '@scripted.chatty': 'ok ',
        '@scripted.check_throws': 'failed CHECK_FAILED',
        '@scripted.connect_throws': 'failed CONNECTION_REFUSED',
        '@scripted.hangs': 'failed OPERATION_TIMEOUT',
        '@scripted.missing_env': 'error MISSING_ENV',
        '@scripted.ok': 'ok ',
      });
      const outputs = [
        JSON.stringify(report),
        inspect(report, { depth: Number.POSITIVE_INFINITY }),
        ...report.results.flatMap((r) => [r.message, r.hint ?? '', inspect(r.details, { depth: null })]),
      ];
      for (const output of outputs) {
        for (const spelling of spellings) expect(output).not.toContain(spelling);
      }
    }
    // The drivers really did put the secret into what they threw: redaction, not luck, kept it out.
    const results = reports[0]?.results ?? [];
    expect(results.find((r) => r.reference === '@scripted.check_throws')?.message).toBe(
      'query failed: password *** rejected',
    );
    expect(results.find((r) => r.reference === '@scripted.chatty')).toMatchObject({
      message: 'logged in with ***',
      details: { dsn: 'x://u:***@h' },
    });
  } finally {
    await server.close();
  }
});
