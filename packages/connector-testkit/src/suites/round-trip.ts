import type { SuiteContext } from '../types.js';

/** Placeholder until the round-trip suite lands (issue #3). */
export type RoundTripOptions = {};

export function roundTripSuite(_context: SuiteContext): void {}
