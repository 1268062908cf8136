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
