import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { createConnectionManager, doctor, isConnectorError } from '@osiris/core';
import { bounded } from '../support/bounded.js';
import { newCanary } from '../support/canary.js';
import { silentListener } from '../support/loopback.js';
import { withNetworkConfig } from '../support/network-config.js';
import { singleAlias } from '../support/single-alias.js';
import type { SuiteContext } from '../types.js';

/** What the suite gives a check, and how late past it an answer may still come. */
const TIMEOUT_MS = 500;
const SLACK_MS = 500;

/** Pointed at a server that accepts and never answers, the check gives up in time. */
export function checkTimeoutSuite(context: SuiteContext): void {
  const { plugin, test } = context;
  test.describe('check timeout', () => {
    withNetworkConfig(context, 'check-timeout', (unreachableConfig) => {
      const againstSilentServer = async (run: (alias: ReturnType<typeof singleAlias>) => Promise<void>) => {
        const listener = await silentListener();
        try {
          const secret = newCanary();
          await run(singleAlias(plugin, unreachableConfig(secret, listener.port), secret));
        } finally {
          await listener.close();
        }
      };

      test.test(
        `check({ timeoutMs: ${TIMEOUT_MS} }) rejects with category timeout within ${TIMEOUT_MS + SLACK_MS} ms`,
        () =>
          againstSilentServer(async (alias) => {
            const manager = createConnectionManager(alias);
            const started = performance.now();
            try {
              const connection = await bounded(
                manager.get(alias.reference),
                TIMEOUT_MS + SLACK_MS,
                `connect() did not return within ${TIMEOUT_MS + SLACK_MS} ms against a server that accepts and never answers. ` +
                  'Make connect() lazy (open the pool on first use) or bounded (give up by context.deadline, ' +
                  'or when context.signal aborts), so that check({ timeoutMs }) can keep its promise',
              );
              await connection.check({ timeoutMs: TIMEOUT_MS });
              assert.fail('check() succeeded against a server that never answers');
            } catch (error) {
              const elapsed = Math.round(performance.now() - started);
              if (error instanceof assert.AssertionError) throw error;
              assert.ok(isConnectorError(error), `expected a ConnectorError, got ${inspect(error)}`);
              assert.equal(
                error.category,
                'timeout',
                `category is ${error.category} (${error.code}: ${error.message})`,
              );
              assert.ok(elapsed <= TIMEOUT_MS + SLACK_MS, `check() took ${elapsed} ms to give up`);
            } finally {
              await manager.closeAll();
            }
          }),
        (TIMEOUT_MS + SLACK_MS) * 10,
      );

      test.test(
        `doctor reports failed / timeout within ${TIMEOUT_MS + SLACK_MS} ms`,
        () =>
          againstSilentServer(async ({ registry, resolver }) => {
            const started = performance.now();
            const report = await doctor({ registry, resolver, timeoutMs: TIMEOUT_MS });
            const elapsed = Math.round(performance.now() - started);
            assert.equal(report.results[0]?.status, 'failed', `doctor said ${inspect(report.results[0])}`);
            assert.equal(report.results[0]?.category, 'timeout', `doctor said ${inspect(report.results[0])}`);
            assert.ok(elapsed <= TIMEOUT_MS + SLACK_MS, `doctor took ${elapsed} ms`);
          }),
        (TIMEOUT_MS + SLACK_MS) * 10,
      );
    });
  });
}
