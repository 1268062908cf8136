import { describe, expect, test } from 'vitest';
import { type Row, rowBatchStream } from '../src/index.js';

/** A generator of `count` batches that records how far it got and whether its finally ran. */
function source(count: number) {
  const log: string[] = [];
  const batches = async function* () {
    try {
      for (let index = 0; index < count; index++) {
        log.push(`batch ${index}`);
        yield [{ id: index, name: `n${index}` }] as Row[];
      }
    } finally {
      log.push('released');
    }
  };
  return { log, batches };
}

const collect = async (stream: AsyncIterable<Row[]>) => {
  const rows: Row[] = [];
  for await (const batch of stream) rows.push(...batch);
  return rows;
};

describe('rowBatchStream', () => {
  test('yields the batches; columns() from the first batch does not lose it', async () => {
    const { log, batches } = source(3);
    const stream = rowBatchStream(batches);
    expect(log).toEqual([]);
    expect(await stream.columns()).toEqual([{ name: 'id' }, { name: 'name' }]);
    expect((await collect(stream)).map((row) => row.id)).toEqual([0, 1, 2]);
    expect(log).toEqual(['batch 0', 'batch 1', 'batch 2', 'released']);
  });

  test('break returns the generator, so its finally runs', async () => {
    const { log, batches } = source(10);
    for await (const batch of rowBatchStream(batches)) {
      if (batch[0]?.id === 1) break;
    }
    expect(log).toEqual(['batch 0', 'batch 1', 'released']);
  });

  test('declared or fetched columns are used as given, without starting the generator', async () => {
    const { log, batches } = source(1);
    const declared = rowBatchStream(batches, { columns: [{ name: 'id', nativeType: 'BIGINT' }] });
    expect(await declared.columns()).toEqual([{ name: 'id', nativeType: 'BIGINT' }]);
    const fetched = rowBatchStream(batches, { columns: async () => [{ name: 'x' }] });
    expect(await fetched.columns()).toEqual([{ name: 'x' }]);
    expect(log).toEqual([]);
  });

  test('an empty stream has no columns; a second read is STREAM_CONSUMED', async () => {
    const stream = rowBatchStream(source(0).batches);
    expect(await stream.columns()).toEqual([]);
    expect(await collect(stream)).toEqual([]);
    expect(() => stream[Symbol.asyncIterator]()).toThrow(
      expect.objectContaining({ code: 'STREAM_CONSUMED' }),
    );
  });
});
