import { ConnectorError } from '@osiris/core';
import { describe, expect, test } from 'vitest';
import { memoryConnector, memoryDefinition } from '../../core/test/support/memory-connector.js';
import { failingWith, memoryVariant, recordSuites, runSuiteTest } from './support/record.js';

const CHECK = 'check timeout > check({ timeoutMs: 500 })';
const DOCTOR = 'check timeout > doctor reports';

describe('check-timeout suite', () => {
  test('passes for a connector whose check honours timeoutMs', async () => {
    const tests = recordSuites(memoryConnector);
    await runSuiteTest(tests, CHECK);
    await runSuiteTest(tests, DOCTOR);
  });

  test("fails for a check that waits longer than it was told; doctor's own deadline still holds", async () => {
    // Gives the server 1.5 s whatever timeoutMs says.
    const stubborn = memoryVariant({
      connect: async (config) => {
        const connection = await memoryDefinition.connect(config);
        return { ...connection, check: () => connection.check({ timeoutMs: 1500 }) };
      },
    });
    const tests = recordSuites(stubborn);
    await expect(runSuiteTest(tests, CHECK)).rejects.toThrow(/check\(\) took 1\d{3} ms to give up/);
    await runSuiteTest(tests, DOCTOR);
  });

  test('fails with a named reason, not a bare runner timeout, for a connect() that blocks (planted bug)', async () => {
    const blocking = memoryVariant({ connect: () => new Promise(() => {}) });
    const started = performance.now();
    await expect(runSuiteTest(recordSuites(blocking), CHECK)).rejects.toThrow(
      /connect\(\) did not return within 1000 ms .*Make connect\(\) lazy .* or bounded \(give up by context\.deadline/,
    );
    expect(performance.now() - started).toBeLessThan(3000);
    // doctor does not wait for it either.
    await runSuiteTest(recordSuites(blocking), DOCTOR);
  });

  test('fails for a check that gives up with another category', async () => {
    const vague = failingWith(() => new ConnectorError('gave up', { code: 'CHECK_FAILED' }), 100);
    await expect(runSuiteTest(recordSuites(vague), CHECK)).rejects.toThrow(
      'category is internal (CHECK_FAILED: gave up)',
    );
  });
});
