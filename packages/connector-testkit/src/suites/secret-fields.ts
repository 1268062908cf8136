import assert from 'node:assert/strict';
import { isSecretField } from '@osiris/core';
import { fieldPointers } from '../support/json-schema.js';
import type { SuiteContext } from '../types.js';

const covers = (declared: readonly string[], pointer: string) =>
  declared.some((secret) => pointer === secret || pointer.startsWith(`${secret}/`));

/** Secret fields are declared, so tools reading the plugin (not just core's name list) know them. */
export function secretFieldsSuite({ plugin, test, unreachableConfig }: SuiteContext): void {
  test.describe('secret fields', () => {
    test.test('every field whose name looks secret is declared in secrets', () => {
      const declared = plugin.secrets ?? [];
      const undeclared = fieldPointers(plugin.jsonSchema()).filter(
        (pointer) => isSecretField(pointer) && !covers(declared, pointer),
      );
      assert.deepEqual(undeclared, [], `declare these as secrets: ${JSON.stringify(undeclared)}`);
    });

    test.test('every declared secret is a field of the config schema', () => {
      const fields = fieldPointers(plugin.jsonSchema());
      const unknown = (plugin.secrets ?? []).filter((pointer) => !fields.includes(pointer));
      assert.deepEqual(unknown, [], `these secrets name no field (typo?): ${JSON.stringify(unknown)}`);
    });

    if (unreachableConfig !== undefined) {
      test.test('every field unreachableConfig puts the secret in is declared in secrets', () => {
        const secret = 'testkit-declared-secret';
        const holding = pointersHolding(unreachableConfig(secret, 9), secret);
        const undeclared = holding.filter((pointer) => !covers(plugin.secrets ?? [], pointer));
        assert.deepEqual(
          undeclared,
          [],
          `these fields hold the secret but are not declared in secrets: ${JSON.stringify(undeclared)}. ` +
            'Only declared fields are masked by tools that read the plugin, whatever their name',
        );
      });
    }

    if (plugin.summarize !== undefined && unreachableConfig !== undefined) {
      test.test('summarize() shows no secret', () => {
        const secret = 'testkit-summary-secret';
        const config = plugin.configSchema.parse(unreachableConfig(secret, 9));
        const summary = plugin.summarize?.(config) ?? '';
        assert.ok(!summary.includes(secret), `summarize() revealed the secret: ${summary}`);
      });
    }
  });
}

/** JSON Pointers of the string fields of a written config that contain `secret`. */
function pointersHolding(config: unknown, secret: string, parent = ''): string[] {
  if (typeof config === 'string') return config.includes(secret) ? [parent] : [];
  if (config === null || typeof config !== 'object') return [];
  return Object.entries(config).flatMap(([key, value]) =>
    pointersHolding(value, secret, `${parent}/${key.replace(/~/g, '~0').replace(/\//g, '~1')}`),
  );
}
