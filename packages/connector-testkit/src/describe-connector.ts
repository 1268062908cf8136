import type { ConnectorPlugin } from '@osiris/core';
import { checkTimeoutSuite } from './suites/check-timeout.js';
import { closeSuite } from './suites/close.js';
import { definitionSuite } from './suites/definition.js';
import {
  fastLaneSinkSkipped,
  fastLaneSinkSuite,
  fastLaneSourceSkipped,
  fastLaneSourceSuite,
} from './suites/fast-lane.js';
import { roundTripSuite } from './suites/round-trip.js';
import { secretFieldsSuite } from './suites/secret-fields.js';
import { unreachableSuite } from './suites/unreachable.js';
import { type DescribeConnectorOptions, SUITE_NAMES, type SuiteContext, type SuiteName } from './types.js';

/** Each suite registers its tests for one concern. */
const suites: Record<SuiteName, (context: SuiteContext) => void> = {
  definition: definitionSuite,
  'secret-fields': secretFieldsSuite,
  unreachable: unreachableSuite,
  'check-timeout': checkTimeoutSuite,
  close: closeSuite,
  'round-trip': roundTripSuite,
  'fast-lane-source': fastLaneSourceSuite,
  'fast-lane-sink': fastLaneSinkSuite,
};

/** What runs in place of a suite whose skip holds only while a condition does: a test proving it still holds. */
const whenSkipped: Partial<Record<SuiteName, (context: SuiteContext) => void>> = {
  'fast-lane-source': fastLaneSourceSkipped,
  'fast-lane-sink': fastLaneSinkSkipped,
};

/** Registers the conformance suites for `plugin` with the caller's test runner. */
export function describeConnector(plugin: ConnectorPlugin, options: DescribeConnectorOptions): void {
  const skip = new Set<string>(options.skip ?? []);
  // The type forbids unknown names; plain-JS callers still get told, so a typo cannot silence a suite.
  const unknown = [...skip].filter((name) => !SUITE_NAMES.includes(name as SuiteName));
  if (unknown.length > 0) {
    throw new Error(`Unknown suite(s) in skip: ${unknown.join(', ')} (suites: ${SUITE_NAMES.join(', ')})`);
  }
  const context: SuiteContext = { ...options, plugin };
  options.test.describe(`connector conformance: ${plugin.family}`, () => {
    for (const name of SUITE_NAMES) {
      if (!skip.has(name)) suites[name](context);
      else whenSkipped[name]?.(context);
    }
  });
}
