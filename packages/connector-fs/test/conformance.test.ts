import assert from 'node:assert/strict';
import { realpath, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import fsConnector from '@osiris/connector-fs';
import { describeConnector, type RoundTripVariant } from '@osiris/connector-testkit';
import { describe, test } from 'vitest';
import { openPaths, tempDir } from './helpers/temp-dir.js';

const baseDir = await tempDir();

/** A file variant: `<name>.<extension>` under the base directory. */
const fileVariant = (extension: string, normalize: RoundTripVariant['normalize']): RoundTripVariant => ({
  target: ({ name }) => ({
    write: { path: `round-trip/${name}.${extension}` },
    read: { path: `round-trip/${name}.${extension}` },
    cleanup: () => rm(join(baseDir, 'round-trip', `${name}.${extension}`), { force: true }),
  }),
  normalize,
});

describeConnector(fsConnector, {
  test: { describe, test },
  workingConfig: () => ({ base_dir: baseDir }),
  // Files have no network: nothing can be unreachable or fail to answer, so no unreachableConfig.
  skip: ['unreachable', 'check-timeout'],
  roundTrip: {
    variants: {
      // CSV reads every field back as text, and an empty field (null) as null.
      csv: fileVariant('csv', (value) => {
        if (value === null) return null;
        if (value instanceof Date) return value.toISOString().slice(0, 19).replace('T', ' ');
        return String(value);
      }),
      // JSON has no date type: dates come back as their ISO 8601 strings.
      jsonl: fileVariant('jsonl', (value) => (value instanceof Date ? value.toISOString() : value)),
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
