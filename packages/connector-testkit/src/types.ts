import type { ConnectorPlugin } from '@osiris/core';
import type { RoundTripOptions } from './suites/round-trip.js';

/** The test functions of whichever runner the caller uses (vitest, jest, node:test…). */
export interface TestApi {
  /** Groups tests, as `describe` does. */
  describe: (name: string, body: () => void) => void;
  /** Registers one async test, as `test` / `it` do. */
  test: (name: string, body: () => Promise<void> | void, timeoutMs?: number) => void;
}

/** How a connector is exercised by the conformance suites. */
export interface DescribeConnectorOptions {
  /** The runner's `describe` and `test`. */
  test: TestApi;
  /**
   * A valid config (as a user writes it) that points at `port` on 127.0.0.1, where nothing listens,
   * with `secret` as its password or key. Connectors without a network (files) return undefined.
   */
  unreachableConfig?: (secret: string, port: number) => Record<string, unknown>;
  /** Opt into the round-trip suites (write batches, read them back). */
  roundTrip?: RoundTripOptions;
  /** Names of suites to leave out, each with the reason in a comment at the call site. */
  skip?: readonly string[];
}

/** What each suite gets. */
export interface SuiteContext extends DescribeConnectorOptions {
  /** The connector under test. */
  plugin: ConnectorPlugin;
}
