import type { SuiteContext } from '../types.js';

// Placeholder until the generic suites land (issue #2).
export function unreachableSuite(_context: SuiteContext): void {}
