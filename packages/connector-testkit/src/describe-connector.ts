import type { ConnectorPlugin } from '@osiris/core';
import { checkTimeoutSuite } from './suites/check-timeout.js';
import { closeSuite } from './suites/close.js';
import { definitionSuite } from './suites/definition.js';
import { roundTripSuite } from './suites/round-trip.js';
import { secretFieldsSuite } from './suites/secret-fields.js';
import { unreachableSuite } from './suites/unreachable.js';
import type { DescribeConnectorOptions, SuiteContext } from './types.js';

/** Each suite registers its tests for one concern; the names are what `skip` takes. */
const suites: Record<string, (context: SuiteContext) => void> = {
  definition: definitionSuite,
  'secret-fields': secretFieldsSuite,
  unreachable: unreachableSuite,
  'check-timeout': checkTimeoutSuite,
  close: closeSuite,
  'round-trip': roundTripSuite,
};

/** Registers the conformance suites for `plugin` with the caller's test runner. */
export function describeConnector(plugin: ConnectorPlugin, options: DescribeConnectorOptions): void {
  const unknown = (options.skip ?? []).filter((name) => !(name in suites));
  if (unknown.length > 0) {
    throw new Error(
      `Unknown suite(s) in skip: ${unknown.join(', ')} (suites: ${Object.keys(suites).join(', ')})`,
    );
  }
  const context: SuiteContext = { ...options, plugin };
  options.test.describe(`connector conformance: ${plugin.family}`, () => {
    for (const [name, suite] of Object.entries(suites)) {
      if (!options.skip?.includes(name)) suite(context);
    }
  });
}
