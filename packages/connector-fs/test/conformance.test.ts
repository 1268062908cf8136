import assert from 'node:assert/strict';
import { realpath, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import fsConnector from '@osiris/connector-fs';
import { describeConnector, type RoundTripVariant } from '@osiris/connector-testkit';
import { describe, test } from 'vitest';
import { openPaths, tempDir } from './helpers/temp-dir.js';

const baseDir = await tempDir();

function canonical(value: unknown, column: string): unknown {
  if (column === 'id') return BigInt(value as number);
  return value instanceof Date ? value.toISOString() : value;
}

/** A file variant: `<name>.<extension>` under the base directory. */
const fileVariant = (extension: string, normalize: RoundTripVariant['normalize']): RoundTripVariant => ({
  target: ({ name }) => ({
    write: { path: `round-trip/${name}.${extension}` },
    read: { path: `round-trip/${name}.${extension}` },
    cleanup: async () => {
      await rm(join(baseDir, 'round-trip', `${name}.${extension}`), { force: true });
      await rm(join(baseDir, 'round-trip', `${name}.${extension}.schema.json`), { force: true });
    },
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
      // Both formats read back typed, through the descriptor written next to the file: the canonical
      // value of each column's type (integer(64) is a bigint, timestamp(3) its ISO text).
      csv: fileVariant('csv', canonical),
      jsonl: fileVariant('jsonl', canonical),
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
