import { describe, expect, test } from 'vitest';
import {
  type ColumnInfo,
  type LogicalType,
  type PositionalBatch,
  positionalConverter,
  positionalStream,
  type Row,
  sinkInput,
} from '../src/index.js';

const int: LogicalType = { kind: 'integer', bits: 32, unsigned: false };
const text: LogicalType = { kind: 'string' };
const columns: ColumnInfo[] = [
  { name: 'id', type: int, nullable: false },
  { name: 'name', type: text },
];

/** A fast-lane source that records what was asked of it. */
function source(batches: PositionalBatch[]) {
  const log: string[] = [];
  const stream = positionalStream(
    async () => columns,
    async function* () {
      try {
        for (const batch of batches) {
          log.push('batch');
          yield batch;
        }
      } finally {
        log.push('released');
      }
    },
  );
  return { stream, log };
}

const collect = async (batches: AsyncIterable<PositionalBatch>) => {
  const out: PositionalBatch = [];
  for await (const batch of batches) out.push(...batch);
  return out;
};

describe('the fast lane', () => {
  test('a sink gets the source positional batches as they are, the columns described', async () => {
    const batch: PositionalBatch = [
      [1, 'a'],
      [2, null],
    ];
    const { stream } = source([batch]);
    const input = await sinkInput({ rows: stream });
    expect(input.fastLane).toBe(true);
    expect(input.columns.map((column) => [column.name, column.described])).toEqual([
      ['id', true],
      ['name', true],
    ]);
    const [first] = await (async () => {
      for await (const b of input.batches) return [b];
      return [];
    })();
    expect(first).toBe(batch); // the very same arrays: nothing copied or converted
  });

  test('user code iterating the same kind of stream gets row objects (own keys, __proto__ included)', async () => {
    const stream = positionalStream(
      async () => [
        { name: '__proto__', type: text },
        { name: 'id', type: int },
      ],
      async function* () {
        yield [['x', 1]];
      },
    );
    const rows: Row[] = [];
    for await (const batch of stream) rows.push(...batch);
    expect(rows).toHaveLength(1);
    expect(Object.getPrototypeOf(rows[0])).toBe(Object.prototype);
    expect(Object.hasOwn(rows[0] as object, '__proto__')).toBe(true);
    expect(rows[0]?.id).toBe(1);
  });

  test('declared columns pick and order the source positions; unknown ones read as null', async () => {
    const { stream } = source([[[1, 'a']]]);
    const input = await sinkInput({
      rows: stream,
      columns: [{ name: 'name' }, { name: 'id' }, { name: 'extra' }],
    });
    expect(await collect(input.batches)).toEqual([['a', 1, null]]);
    expect(input.columns.map((column) => column.type.kind)).toEqual(['string', 'integer', 'string']);
  });

  test('row objects without a fast lane become arrays, types inferred from the first batch', async () => {
    const input = await sinkInput({ rows: [[{ a: 1, b: 'x' }], [{ b: 'y' }]] });
    expect(input.fastLane).toBe(false);
    expect(await collect(input.batches)).toEqual([
      [1, 'x'],
      [null, 'y'],
    ]);
  });

  test('onRowObjects sees every object batch with the rows before it, and its refusal stops the write', async () => {
    const seen: Array<[number, number]> = [];
    const input = await sinkInput(
      { rows: [[], [{ a: 1 }, { a: 2 }], [{ a: 3 }]] },
      { onRowObjects: (rows, before) => void seen.push([rows.length, before]) },
    );
    await collect(input.batches);
    expect(seen).toEqual([
      [0, 0],
      [2, 0],
      [1, 2],
    ]);
    const refused = sinkInput(
      { rows: [[{ a: 1, extra: 2 }]] },
      {
        onRowObjects: (rows) => {
          if (rows.some((row) => 'extra' in row)) throw new Error('key "extra" is not a column');
        },
      },
    );
    await expect(refused).rejects.toThrow('key "extra"');
  });

  test('close() before the end releases the source', async () => {
    const { stream, log } = source([[[1, 'a']], [[2, 'b']]]);
    const input = await sinkInput({ rows: stream });
    for await (const _ of input.batches) break;
    await input.close();
    expect(log).toEqual(['batch', 'released']);
  });

  test('the converter costs nothing for fitting, non-null columns and checks the rest in place', async () => {
    const fits = positionalConverter(
      [{ name: 'id', target: int, source: int, nullable: false, sourceNullable: false }],
      'sink',
    );
    const rows: PositionalBatch = [[1]];
    expect(fits(rows, 0)).toBe(rows);
    const narrow = positionalConverter(
      [{ name: 'id', target: { kind: 'integer', bits: 8, unsigned: false }, source: int }],
      'MySQL table t',
    );
    expect(() => narrow([[1], [300]], 10)).toThrow(/row 12, column "id"/);
    const notNull = positionalConverter([{ name: 'id', target: int, source: int, nullable: false }], 'sink');
    expect(() => notNull([[null]], 0)).toThrow(/NOT NULL/);
  });
});

describe('sinkInput and keys outside the columns', () => {
  test('a key only a later batch holds is refused by row and name, never dropped', async () => {
    const input = await sinkInput({ rows: [[{ a: 1 }], [{ a: 2 }, { a: 3, b: 'late' }]] });
    const seen: PositionalBatch[] = [];
    await expect(async () => {
      for await (const batch of input.batches) seen.push(batch);
    }).rejects.toMatchObject({ code: 'SCHEMA_MISMATCH', details: { column: 'b', row: 3 } });
    expect(seen).toEqual([[[1]]]);
  });

  test('a sink that handles such keys itself passes extraKeys: ignore', async () => {
    const input = await sinkInput({ rows: [[{ a: 1 }], [{ a: 2, b: 'late' }]] }, { extraKeys: 'ignore' });
    const seen: PositionalBatch = [];
    for await (const batch of input.batches) seen.push(...batch);
    expect(seen).toEqual([[1], [2]]);
  });
});
