import assert from 'node:assert/strict';
import { API_VERSION, assertValidDefinition } from '@osiris/core';
import { objectShapes } from '../support/json-schema.js';
import type { SuiteContext } from '../types.js';

const UNKNOWN_KEY = 'osiris_testkit_unknown_key';

/** The plugin is a valid definition for this core, and its schema is strict and exportable. */
export function definitionSuite({ plugin, test, unreachableConfig, workingConfig }: SuiteContext): void {
  test.describe('definition', () => {
    test.test('is a valid definition whose family name matches ^[a-z][a-z0-9_-]*$', () => {
      assertValidDefinition(plugin);
    });

    test.test(`is built for this core's plugin API (apiVersion ${API_VERSION})`, () => {
      assert.equal(
        plugin.apiVersion,
        API_VERSION,
        `apiVersion is ${plugin.apiVersion}, core speaks ${API_VERSION}`,
      );
    });

    test.test('jsonSchema() exports an object schema, as JSON, that forbids unknown keys', () => {
      const schema = plugin.jsonSchema();
      assert.deepEqual(
        JSON.parse(JSON.stringify(schema)),
        schema,
        'jsonSchema() must survive JSON.stringify',
      );
      for (const shape of objectShapes(schema)) {
        assert.equal(
          shape.type,
          'object',
          `the config schema must describe an object: ${JSON.stringify(shape)}`,
        );
        assert.equal(shape.additionalProperties, false, 'the config schema must be strict (z.strictObject)');
      }
    });

    test.test('configSchema rejects an unknown key, naming it', async () => {
      const base = unreachableConfig?.('testkit-secret', 9) ?? (await workingConfig?.()) ?? {};
      const parsed = plugin.configSchema.safeParse({ ...base, [UNKNOWN_KEY]: 'x' });
      assert.equal(parsed.success, false, `a config with "${UNKNOWN_KEY}" was accepted`);
      assert.ok(
        namesUnknownKey(parsed.error?.issues ?? []),
        `the error does not report "${UNKNOWN_KEY}" as unrecognized: ${parsed.error?.message}`,
      );
    });
  });
}

/** Whether some issue, also inside a union's branches, reports the unknown key. */
function namesUnknownKey(issues: readonly unknown[]): boolean {
  return issues.some((issue) => {
    const { code, keys, errors } = issue as { code?: string; keys?: string[]; errors?: unknown[][] };
    if (code === 'unrecognized_keys' && keys?.includes(UNKNOWN_KEY)) return true;
    return (errors ?? []).some((branch) => namesUnknownKey(branch));
  });
}
