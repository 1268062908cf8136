export { describeConnector } from './describe-connector.js';
export {
  ROUND_TRIP_COLUMNS,
  type RoundTripContext,
  type RoundTripOptions,
  type RoundTripTarget,
  type RoundTripTargetContext,
  type RoundTripVariant,
  roundTripRows,
} from './suites/round-trip.js';
export { canaryLeaks, errorOutputs, newCanary } from './support/canary.js';
export { closedPort, type Listener, silentListener } from './support/loopback.js';
export {
  type DescribeConnectorOptions,
  SUITE_NAMES,
  type SuiteContext,
  type SuiteName,
  type TestApi,
  type WrittenConfig,
} from './types.js';
