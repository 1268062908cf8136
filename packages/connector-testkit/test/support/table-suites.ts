/** The round-trip and fast-lane suites registered for the table connector (test/support/table-connector.ts). */
import assert from 'node:assert/strict';
import type { ConnectorPlugin } from '@osiris/core';
import type { RoundTripVariant, SuiteName } from '../../src/index.js';
import { recordSuites } from './record.js';
import { openReadsOf } from './table-connector.js';

/** Suites that have nothing to do with rows, left out of these tests. */
const NOT_ROWS = ['definition', 'secret-fields', 'unreachable', 'check-timeout', 'close'] as const;

/** The recorded round-trip and fast-lane tests of `plugin`, one variant `table` (with `variant`'s extras). */
export function tableSuites(
  plugin: ConnectorPlugin,
  variant: Partial<RoundTripVariant> = {},
  skip: readonly SuiteName[] = [],
) {
  const store = `store_${Math.random().toString(36).slice(2)}`;
  return recordSuites(plugin, {
    workingConfig: () => ({ store }),
    roundTrip: {
      variants: {
        table: { target: ({ name }) => ({ write: { table: name }, read: { table: name } }), ...variant },
      },
      manyRows: 600,
      assertReleased: () =>
        assert.equal(openReadsOf(store), 0, `${openReadsOf(store)} read(s) of the store still open`),
    },
    skip: [...NOT_ROWS, ...skip],
  });
}
