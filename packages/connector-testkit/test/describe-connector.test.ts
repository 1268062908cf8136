import { describe, expect, test } from 'vitest';
import { memoryConnector } from '../../core/test/support/memory-connector.js';
import { memoryConfig, recordSuites, runSuiteTest } from './support/record.js';

describe('describeConnector', () => {
  test('registers one group per concern with the given test API', () => {
    expect([...recordSuites(memoryConnector).keys()]).toEqual([
      'definition > is a valid definition whose family name matches ^[a-z][a-z0-9_-]*$',
      "definition > is built for this core's plugin API (apiVersion 1)",
      'definition > jsonSchema() exports an object schema, as JSON, that forbids unknown keys',
      'definition > configSchema rejects an unknown key, naming it',
      'secret fields > every field whose name looks secret is declared in secrets',
      'secret fields > every declared secret is a field of the config schema',
      'secret fields > every field unreachableConfig puts the secret in is declared in secrets',
      'secret fields > summarize() shows no secret',
      'unreachable server > connect + check fail with a ConnectorError of category network',
      'unreachable server > the password appears in no message, stack, cause, inspect or JSON output, nor in doctor',
      "unreachable server > the connector's own errors hold no password, even when core's resolver did not register it",
      'check timeout > check({ timeoutMs: 500 }) rejects with category timeout within 1000 ms',
      'check timeout > doctor reports failed / timeout within 1000 ms',
      'close > close() twice is harmless',
    ]);
  });

  test('skip (a list or a set of suite names) leaves suites out', () => {
    const names = [
      ...recordSuites(memoryConnector, {
        unreachableConfig: memoryConfig,
        skip: new Set(['unreachable', 'check-timeout', 'close'] as const),
      }).keys(),
    ];
    expect(names.some((name) => name.startsWith('unreachable') || name.startsWith('check timeout'))).toBe(
      false,
    );
    expect(names.some((name) => name.startsWith('close'))).toBe(false);
    expect(names.some((name) => name.startsWith('definition'))).toBe(true);
  });

  test('an unknown suite name in skip is an error, so a typo cannot silence a suite', () => {
    expect(() => recordSuites(memoryConnector, { skip: ['unreachables' as never] })).toThrow(
      'Unknown suite(s) in skip: unreachables (suites: definition, secret-fields, unreachable, check-timeout, close, round-trip, fast-lane-source, fast-lane-sink)',
    );
  });

  test('without unreachableConfig the network suites fail, telling what to pass or skip', async () => {
    const tests = recordSuites(memoryConnector, {});
    await expect(
      runSuiteTest(tests, 'unreachable server > unreachable: needs unreachableConfig'),
    ).rejects.toThrow("or skip: ['unreachable'] with the reason");
    await expect(
      runSuiteTest(tests, 'check timeout > check-timeout: needs unreachableConfig'),
    ).rejects.toThrow("or skip: ['check-timeout'] with the reason");
  });
});
