import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { type ConnectorError, createConnectionManager, doctor, isConnectorError } from '@osiris/core';
import { assertNoCanary, canaryLeaks, errorOutputs, newCanary } from '../support/canary.js';
import { closedPort } from '../support/loopback.js';
import { withNetworkConfig } from '../support/network-config.js';
import { singleAlias } from '../support/single-alias.js';
import type { SuiteContext } from '../types.js';

const TEST_TIMEOUT_MS = 30_000;

/** Pointed at a closed port, the connector fails as `network` and its password shows up nowhere. */
export function unreachableSuite(context: SuiteContext): void {
  const { plugin, test } = context;
  test.describe('unreachable server', () => {
    withNetworkConfig(context, 'unreachable', (unreachableConfig) => {
      const failure = async () => {
        const secret = newCanary();
        const alias = singleAlias(plugin, unreachableConfig(secret, await closedPort()), secret);
        const manager = createConnectionManager(alias);
        try {
          const connection = await manager.get(alias.reference);
          await connection.check({ timeoutMs: 5000 });
        } catch (error) {
          return { secret, alias, error };
        } finally {
          await manager.closeAll();
        }
        throw new assert.AssertionError({ message: 'connect + check succeeded against a closed port' });
      };

      test.test(
        'connect + check fail with a ConnectorError of category network',
        async () => {
          const { error } = await failure();
          assert.ok(isConnectorError(error), `expected a ConnectorError, got ${inspect(error)}`);
          const { category, code, message } = error as ConnectorError;
          assert.equal(category, 'network', `category is ${category} (${code}: ${message})`);
        },
        TEST_TIMEOUT_MS,
      );

      test.test(
        'the password appears in no message, stack, cause, inspect or JSON output, nor in doctor',
        async () => {
          const { secret, alias, error } = await failure();
          const report = await doctor({
            registry: alias.registry,
            resolver: alias.resolver,
            timeoutMs: 5000,
          });
          assert.equal(report.results[0]?.status, 'failed', `doctor said ${inspect(report.results[0])}`);
          assert.equal(report.results[0]?.category, 'network', `doctor said ${inspect(report.results[0])}`);
          assertNoCanary(
            {
              error: errorOutputs(error),
              'doctor result': [JSON.stringify(report), inspect(report, { depth: Number.POSITIVE_INFINITY })],
            },
            secret,
          );
        },
        TEST_TIMEOUT_MS,
      );

      test.test(
        "the connector's own errors hold no password, even when core's resolver did not register it",
        async () => {
          // A fresh canary that nothing has registered: what the connector itself writes is what shows.
          const secret = newCanary();
          const config = plugin.configSchema.parse(unreachableConfig(secret, await closedPort()));
          const context = { reference: `@${plugin.family}.testkit`, alias: 'testkit' };
          let error: unknown;
          let connection: Awaited<ReturnType<typeof plugin.connect>> | undefined;
          try {
            connection = await plugin.connect(config, context);
            await connection.check({ timeoutMs: 5000 });
          } catch (caught) {
            error = caught;
          } finally {
            await connection?.close().catch(() => undefined);
          }
          const [leaked] = canaryLeaks(errorOutputs(error), secret);
          assert.equal(
            leaked,
            undefined,
            "The connector put the password into its own error; only core's redactor hid it when the config " +
              "came through core's resolver. Keep secrets out of messages (or registerSecret() them in connect()):\n" +
              leaked,
          );
        },
        TEST_TIMEOUT_MS,
      );
    });
  });
}
