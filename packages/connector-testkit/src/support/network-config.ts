import type { SuiteContext, WrittenConfig } from '../types.js';

type NetworkConfig = (secret: string, port: number) => WrittenConfig;

/**
 * Runs `register` with the connector's `unreachableConfig`; without one, registers a failing test
 * instead, so a network suite is never left out silently.
 */
export function withNetworkConfig(
  context: SuiteContext,
  suite: string,
  register: (unreachableConfig: NetworkConfig) => void,
): void {
  if (context.unreachableConfig !== undefined) {
    register(context.unreachableConfig);
    return;
  }
  context.test.test(`${suite}: needs unreachableConfig`, () => {
    throw new Error(
      `Pass unreachableConfig: (secret, port) => ({ host: '127.0.0.1', port, password: secret }), or skip: ['${suite}'] with the reason (e.g. the connector has no network)`,
    );
  });
}
