import { API_VERSION, field } from '@osiris/core';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { memoryConnector } from '../../core/test/support/memory-connector.js';
import { memoryVariant, recordSuites, runSuiteTest } from './support/record.js';

const run = (plugin: typeof memoryConnector, name: string) =>
  runSuiteTest(recordSuites(plugin), `definition > ${name}`);

const looseSchema = z.object({
  host: z.string().default('127.0.0.1'),
  port: field.integer(),
  password: z.string(),
});

describe('definition suite', () => {
  test('passes for a sound connector', async () => {
    for (const name of ['is a valid', 'is built', 'jsonSchema()', 'configSchema rejects']) {
      await run(memoryConnector, name);
    }
  });

  test('fails for a plugin object with a bad family name', async () => {
    const plugin = { ...memoryConnector, family: 'My_DB' };
    await expect(run(plugin, 'is a valid')).rejects.toMatchObject({ code: 'PLUGIN_INVALID' });
  });

  test('fails for a plugin built for another API version', async () => {
    await expect(run(memoryVariant({ apiVersion: API_VERSION + 1 }), 'is built')).rejects.toThrow(
      `apiVersion is ${API_VERSION + 1}, core speaks ${API_VERSION}`,
    );
  });

  test('fails for a schema that silently drops unknown keys', async () => {
    const loose = memoryVariant({ configSchema: looseSchema as never });
    await expect(run(loose, 'jsonSchema()')).rejects.toThrow(
      'the config schema must be strict (z.strictObject)',
    );
    await expect(run(loose, 'configSchema rejects')).rejects.toThrow(
      'a config with "osiris_testkit_unknown_key" was accepted',
    );
  });

  test('fails for a schema that does not describe an object', async () => {
    const scalar = memoryVariant({ configSchema: z.string() as never });
    await expect(run(scalar, 'jsonSchema()')).rejects.toThrow('the config schema must describe an object');
  });
});
