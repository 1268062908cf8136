import { ConnectorError, field, registerSecret } from '@osiris/core';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { memoryConnector } from '../../core/test/support/memory-connector.js';
import { failingWith, memoryConfig, memoryVariant, recordSuites, runSuiteTest } from './support/record.js';

const NETWORK = 'unreachable server > connect + check fail';
const CANARY = 'unreachable server > the password appears in no';
const OWN_ERRORS = "unreachable server > the connector's own errors";

describe('unreachable suite', () => {
  test('passes for a connector that fails as network and leaks nothing', async () => {
    const tests = recordSuites(memoryConnector);
    await runSuiteTest(tests, NETWORK);
    await runSuiteTest(tests, CANARY);
    await runSuiteTest(tests, OWN_ERRORS);
  });

  test('fails when the error is a raw driver error the plugin does not classify (core makes it CHECK_FAILED)', async () => {
    const plugin = failingWith(() => new Error('connect ECONNREFUSED'));
    await expect(runSuiteTest(recordSuites(plugin), NETWORK)).rejects.toThrow(
      'category is internal (CHECK_FAILED: connect ECONNREFUSED)',
    );
  });

  test('fails when the category is not network', async () => {
    const plugin = failingWith(() => new ConnectorError('boom', { code: 'INTERNAL', category: 'internal' }));
    await expect(runSuiteTest(recordSuites(plugin), NETWORK)).rejects.toThrow(
      'category is internal (INTERNAL: boom)',
    );
  });

  test('fails when the connector never fails', async () => {
    const plugin = memoryVariant({
      connect: async () => ({ check: async () => ({ message: 'sure' }), close: async () => {} }),
    });
    await expect(runSuiteTest(recordSuites(plugin), NETWORK)).rejects.toThrow(
      'connect + check succeeded against a closed port',
    );
  });

  test("catches a password printed in an error that only core's redactor hid (planted bug: auth)", async () => {
    // `auth` is a common secret name, so the resolver registers its value and every output core
    // produces is clean; the connector still wrote it into its message, which the last test sees.
    const plugin = memoryVariant({
      configSchema: z.strictObject({ host: z.string(), port: field.integer(), auth: z.string() }) as never,
      secrets: [],
      connect: async (config) => ({
        check: async () => {
          const { auth } = config as unknown as { auth: string };
          throw new ConnectorError(`cannot log in with ${auth}`, {
            code: 'CONNECTION_REFUSED',
            category: 'network',
          });
        },
        close: async () => {},
      }),
    });
    const tests = recordSuites(plugin, {
      unreachableConfig: (secret, port) => ({ host: '127.0.0.1', port, auth: secret }),
    });
    await runSuiteTest(tests, NETWORK);
    await runSuiteTest(tests, CANARY);
    await expect(runSuiteTest(tests, OWN_ERRORS)).rejects.toThrow(
      "The connector put the password into its own error; only core's redactor hid it",
    );
  });

  test('catches a password that core cannot know is secret, printed in an error', async () => {
    const plugin = memoryVariant({
      configSchema: z.strictObject({ host: z.string(), port: field.integer(), login: z.string() }) as never,
      secrets: [],
      connect: async (config) => ({
        check: async () => {
          const { login } = config as unknown as { login: string };
          throw new ConnectorError(`cannot log in with ${login}`, {
            code: 'CONNECTION_REFUSED',
            category: 'network',
          });
        },
        close: async () => {},
      }),
    });
    const tests = recordSuites(plugin, {
      unreachableConfig: (secret, port) => ({ host: '127.0.0.1', port, login: secret }),
    });
    await expect(runSuiteTest(tests, CANARY)).rejects.toThrow('The secret leaked into the error');
  });

  test('a connector that registers its own secrets in connect() passes the own-errors test', async () => {
    const plugin = memoryVariant({
      connect: async (config) => {
        registerSecret(config.password);
        return {
          check: async () => {
            throw new ConnectorError(`cannot log in with ${config.password}`, {
              code: 'CONNECTION_REFUSED',
              category: 'network',
            });
          },
          close: async () => {},
        };
      },
    });
    await runSuiteTest(recordSuites(plugin), OWN_ERRORS);
  });

  test('catches a password hidden in a cause that is not an Error', async () => {
    const plugin = memoryVariant({
      secrets: [],
      configSchema: z.strictObject({ host: z.string(), port: field.integer(), login: z.string() }) as never,
      connect: async (config) => ({
        check: async () => {
          throw new ConnectorError('refused', {
            code: 'CONNECTION_REFUSED',
            category: 'network',
            cause: { dsn: `memory://tester:${(config as unknown as { login: string }).login}@host` },
          });
        },
        close: async () => {},
      }),
    });
    const tests = recordSuites(plugin, {
      unreachableConfig: (secret, port) => ({ host: '127.0.0.1', port, login: secret }),
    });
    await expect(runSuiteTest(tests, CANARY)).rejects.toThrow('The secret leaked');
  });

  test('the memory connector passes with its config', async () => {
    expect(memoryConfig('x', 1)).toEqual({ host: '127.0.0.1', port: 1, password: 'x' });
  });
});
