import type { SuiteContext } from '../types.js';

// Placeholder until the generic suites land (issue #2).
export function closeSuite(_context: SuiteContext): void {}
