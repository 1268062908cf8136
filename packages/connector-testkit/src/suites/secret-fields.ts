import type { SuiteContext } from '../types.js';

// Placeholder until the generic suites land (issue #2).
export function secretFieldsSuite(_context: SuiteContext): void {}
