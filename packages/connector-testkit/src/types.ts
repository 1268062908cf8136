import type { ConnectorPlugin } from '@osiris/core';
import type { RoundTripOptions } from './suites/round-trip.js';

/** The test functions of whichever runner the caller uses (vitest, jest, mocha…). */
export interface TestApi {
  /** Groups tests, as `describe` does. */
  describe: (name: string, body: () => void) => void;
  /** Registers one async test, as `test` / `it` do; failures are thrown `node:assert` errors. */
  test: (name: string, body: () => Promise<void> | void, timeoutMs?: number) => void;
}

/** A config as a user writes it in osiris_connections.yaml (strings, numbers, booleans, nested maps). */
export type WrittenConfig = Record<string, unknown>;

/** How a connector is exercised by the conformance suites. */
export interface DescribeConnectorOptions {
  /** The runner's `describe` and `test`. */
  test: TestApi;
  /**
   * A valid config pointing at `port` on 127.0.0.1 with `secret` as its password or key. The network
   * suites call it with a port where nothing listens (`unreachable`) and with one that accepts and never
   * answers (`check-timeout`). Connectors without a network leave it out and skip those two suites.
   */
  unreachableConfig?: (secret: string, port: number) => WrittenConfig;
  /** A config the tests can really open (a temporary directory, a test database), used by `close`. */
  workingConfig?: () => WrittenConfig | Promise<WrittenConfig>;
  /** Opt into the round-trip and fast-lane suites (write batches, read them back). */
  roundTrip?: RoundTripOptions;
  /**
   * Suites to leave out, each with the reason in a comment at the call site. A skipped fast-lane half is
   * replaced by one test per variant proving the skip still holds (the read offers no `positional()`, the sink
   * reports no `fastLane`).
   */
  skip?: readonly SuiteName[] | ReadonlySet<SuiteName>;
}

/** The suites `describeConnector` registers, by the name `skip` takes. */
export const SUITE_NAMES = [
  'definition',
  'secret-fields',
  'unreachable',
  'check-timeout',
  'close',
  'round-trip',
  'fast-lane-source',
  'fast-lane-sink',
] as const;

/** One suite's name. */
export type SuiteName = (typeof SUITE_NAMES)[number];

/** What each suite gets. */
export interface SuiteContext extends DescribeConnectorOptions {
  /** The connector under test. */
  plugin: ConnectorPlugin;
}
