import { type ConnectorPlugin, defineConnector } from '@osiris/core';
import { memoryDefinition } from '../../../core/test/support/memory-connector.js';
import { type DescribeConnectorOptions, describeConnector } from '../../src/index.js';

/** The memory connector's config as a user writes it, pointing at `port`. */
export const memoryConfig = (secret: string, port: number) => ({ host: '127.0.0.1', port, password: secret });

/** A variant of core's memory connector with some part replaced (usually broken on purpose). */
export const memoryVariant = (changes: Partial<typeof memoryDefinition>) =>
  defineConnector({ ...memoryDefinition, ...changes } as typeof memoryDefinition);

/** A memory variant whose check fails with what `error` builds from the config, after `delayMs`. */
export const failingWith = (error: (config: { password: string }) => unknown, delayMs = 0) =>
  memoryVariant({
    connect: async (config) => ({
      check: async () => {
        await new Promise((resolve) => setTimeout(resolve, delayMs));
        throw error(config);
      },
      close: async () => {},
    }),
  });

/**
 * Registers the suites with a recording test API instead of a runner, so a test can run one suite test
 * against a connector and see it fail. Keys are `suite > test`.
 */
export function recordSuites(
  plugin: ConnectorPlugin,
  options: Omit<DescribeConnectorOptions, 'test'> = { unreachableConfig: memoryConfig },
): Map<string, () => Promise<void>> {
  const tests = new Map<string, () => Promise<void>>();
  const path: string[] = [];
  describeConnector(plugin, {
    ...options,
    test: {
      describe: (name, body) => {
        path.push(name);
        body();
        path.pop();
      },
      test: (name, body) => {
        tests.set([...path.slice(1), name].join(' > '), async () => body());
      },
    },
  });
  return tests;
}

/** Runs the recorded test whose name starts with `name`. */
export async function runSuiteTest(tests: Map<string, () => Promise<void>>, name: string): Promise<void> {
  const matches = [...tests.keys()].filter((key) => key.startsWith(name));
  if (matches.length !== 1)
    throw new Error(`expected one test named "${name}…", found ${JSON.stringify([...tests.keys()])}`);
  await tests.get(matches[0] as string)?.();
}
