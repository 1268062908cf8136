import assert from 'node:assert/strict';
import { realpath, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import fsConnector from '@osiris/connector-fs';
import { describeConnector, type RoundTripVariant } from '@osiris/connector-testkit';
import { describe, test } from 'vitest';
import { openPaths, tempDir } from './helpers/temp-dir.js';

const baseDir = await tempDir();

/** A file variant: `<name>.<extension>` under the base directory, `write` added to its writes. */
const fileVariant = (extension: string, write: Record<string, unknown> = {}): RoundTripVariant => ({
  target: ({ name }) => ({
    write: { path: `round-trip/${name}.${extension}`, ...write },
    read: { path: `round-trip/${name}.${extension}` },
    cleanup: async () => {
      await rm(join(baseDir, 'round-trip', `${name}.${extension}`), { force: true });
      await rm(join(baseDir, 'round-trip', `${name}.${extension}.schema.json`), { force: true });
    },
  }),
});

describeConnector(fsConnector, {
  test: { describe, test },
  workingConfig: () => ({ base_dir: baseDir }),
  // Files have no network: nothing can be unreachable or fail to answer, so no unreachableConfig.
  skip: ['unreachable', 'check-timeout'],
  roundTrip: {
    variants: {
      // Both formats read back typed, through the descriptor written next to the file: exactly the
      // canonical values written.
      csv: fileVariant('csv'),
      jsonl: fileVariant('jsonl'),
      // Without a descriptor a CSV reads back text: the one case for normalize, the opt-out of the typed checks.
      'csv-untyped': {
        ...fileVariant('csv', { table_schema: false }),
        normalize: (value) => (value === null ? null : String(value)),
      },
    },
    async assertReleased({ target }) {
      const file = await realpath(join(baseDir, String(target.read.path)));
      const holding = (await openPaths()).filter((path) => path === file);
      assert.deepEqual(holding, [], `the read left ${file} open`);
      // With no handle left the file can be moved away and removed.
      await rename(file, `${file}.moved`);
      await rm(`${file}.moved`);
    },
  },
});
