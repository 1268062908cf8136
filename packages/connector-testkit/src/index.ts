export { describeConnector } from './describe-connector.js';
export type { RoundTripOptions } from './suites/round-trip.js';
export type { DescribeConnectorOptions, SuiteContext, TestApi, WrittenConfig } from './types.js';
