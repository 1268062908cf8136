import assert from 'node:assert/strict';
import { closedPort } from '../support/loopback.js';
import { singleAlias } from '../support/single-alias.js';
import type { SuiteContext } from '../types.js';

/** Closing is safe to repeat: runners close in `finally` blocks and disposers alike. */
export function closeSuite({ plugin, test, workingConfig, unreachableConfig }: SuiteContext): void {
  test.describe('close', () => {
    test.test(
      'close() twice is harmless',
      async () => {
        const working = workingConfig !== undefined;
        const written =
          (await workingConfig?.()) ?? unreachableConfig?.('testkit-close-secret', await closedPort());
        assert.ok(
          written !== undefined,
          'Pass workingConfig (or unreachableConfig) so the close suite can connect',
        );
        const { resolver, reference } = singleAlias(plugin, written);
        const { config, alias } = resolver.resolve(reference);
        const connection = await plugin.connect(config, { reference, alias }).catch((error: unknown) => {
          if (working) throw error;
          throw new assert.AssertionError({
            message: `connect() fails against a closed port (${String(error)}): pass workingConfig so the close suite can open a connection`,
          });
        });
        // With a working config the connection is really used before it is closed.
        if (working) await connection.check({ timeoutMs: 10_000 });
        await connection.close();
        await connection.close();
      },
      30_000,
    );
  });
}
