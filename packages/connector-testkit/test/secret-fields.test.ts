import { field } from '@osiris/core';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { memoryConnector } from '../../core/test/support/memory-connector.js';
import { memoryVariant, recordSuites, runSuiteTest } from './support/record.js';

const run = (plugin: typeof memoryConnector, name: string) =>
  runSuiteTest(recordSuites(plugin), `secret fields > ${name}`);

const schemaWith = (extra: z.ZodRawShape) =>
  z.strictObject({
    host: z.string().default('127.0.0.1'),
    port: field.integer(),
    password: z.string(),
    ...extra,
  });

describe('secret-fields suite', () => {
  test('passes for a connector that declares its secrets', async () => {
    await run(memoryConnector, 'every field whose name looks secret');
    await run(memoryConnector, 'every declared secret');
    await run(memoryConnector, 'every field unreachableConfig puts');
    await run(memoryConnector, 'summarize()');
  });

  test('fails naming each undeclared field that looks secret, also nested ones; primary_key is no secret', async () => {
    const plugin = memoryVariant({
      configSchema: schemaWith({
        api_token: z.string().optional(),
        primary_key: z.string().optional(),
        ssl: z.strictObject({ ca: z.string(), private_key: z.string() }).optional(),
      }) as never,
    });
    await expect(run(plugin, 'every field whose name looks secret')).rejects.toThrow(
      'declare these as secrets: ["/api_token","/ssl/private_key"]',
    );
  });

  test('fails for an undeclared field holding the secret, by its name (planted bug: auth) or by what it holds', async () => {
    for (const name of ['auth', 'login']) {
      const plugin = memoryVariant({
        configSchema: z.strictObject({
          host: z.string(),
          port: field.integer(),
          [name]: z.string(),
        }) as never,
        secrets: [],
      });
      const tests = recordSuites(plugin, {
        unreachableConfig: (secret, port) => ({ host: '127.0.0.1', port, [name]: secret }),
      });
      await expect(runSuiteTest(tests, 'secret fields > every field unreachableConfig puts')).rejects.toThrow(
        `these fields hold the secret but are not declared in secrets: ["/${name}"]`,
      );
      if (name === 'auth') {
        await expect(
          runSuiteTest(tests, 'secret fields > every field whose name looks secret'),
        ).rejects.toThrow('declare these as secrets: ["/auth"]');
      }
    }
  });

  test('a declared parent covers everything inside it', async () => {
    const plugin = memoryVariant({
      configSchema: schemaWith({
        credentials: z.strictObject({ user: z.string(), token: z.string() }),
      }) as never,
      secrets: ['/password', '/credentials'],
    });
    await run(plugin, 'every field whose name looks secret');
  });

  test('fails for a declared secret that names no field', async () => {
    const plugin = memoryVariant({ secrets: ['/password', '/pasword'] });
    await expect(run(plugin, 'every declared secret')).rejects.toThrow(
      'these secrets name no field (typo?): ["/pasword"]',
    );
  });

  test('fails when summarize() shows the password', async () => {
    const plugin = memoryVariant({
      summarize: (config) => `${config.user}:${config.password}@${config.host}`,
    });
    await expect(run(plugin, 'summarize()')).rejects.toThrow('summarize() revealed the secret');
  });
});
