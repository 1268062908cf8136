import { describe, expect, test } from 'vitest';
import { memoryConnector } from '../../core/test/support/memory-connector.js';
import { memoryVariant, recordSuites, runSuiteTest } from './support/record.js';

const CLOSE = 'close > close() twice';

describe('close suite', () => {
  test('passes for a connector whose close can be repeated', async () => {
    await runSuiteTest(recordSuites(memoryConnector), CLOSE);
  });

  test('fails for a close that throws the second time', async () => {
    let closed = false;
    const plugin = memoryVariant({
      connect: async () => ({
        check: async () => ({ message: 'ok' }),
        close: async () => {
          if (closed) throw new Error('pool already ended');
          closed = true;
        },
      }),
    });
    await expect(runSuiteTest(recordSuites(plugin), CLOSE)).rejects.toThrow('pool already ended');
  });

  test('asks for workingConfig when connect fails against a closed port', async () => {
    const eager = memoryVariant({
      connect: async () => {
        throw new Error('connect ECONNREFUSED');
      },
    });
    await expect(runSuiteTest(recordSuites(eager), CLOSE)).rejects.toThrow(
      'pass workingConfig so the close suite can open a connection',
    );
  });

  test('checks the connection first when given a working config', async () => {
    const checked: string[] = [];
    const plugin = memoryVariant({
      connect: async () => ({
        check: async () => {
          checked.push('check');
          return { message: 'ok' };
        },
        close: async () => {
          checked.push('close');
        },
      }),
    });
    await runSuiteTest(
      recordSuites(plugin, { workingConfig: () => ({ port: 1, password: 'working-pw' }) }),
      CLOSE,
    );
    expect(checked).toEqual(['check', 'close', 'close']);
  });
});
