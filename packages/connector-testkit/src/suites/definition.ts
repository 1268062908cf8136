import type { SuiteContext } from '../types.js';

// Placeholder until the generic suites land (issue #2).
export function definitionSuite(_context: SuiteContext): void {}
