import type { Row } from '@osiris/core';
import { describe, expect, test } from 'vitest';
import { collect, useDatabase } from './support.js';

function* batches(total: number, size: number, make: (index: number) => Row): Generator<Row[]> {
  for (let start = 0; start < total; start += size) {
    yield Array.from({ length: Math.min(size, total - start) }, (_, offset) => make(start + offset));
  }
}

const person = (index: number): Row => ({
  id: index + 1,
  name: index % 7 === 0 ? `tab\there "quote" 'single' back\\slash\nnewline ✓ ${index}` : `person ${index}`,
  score: index % 5 === 0 ? null : index / 3,
  big: 9007199254740993n + BigInt(index),
  born: new Date(Date.UTC(1990, 0, 1) + index * 86_400_123),
  active: index % 2 === 0,
  raw: Buffer.from([index % 256, 0, 9, 10, 92, 255]),
  tags: { index, even: index % 2 === 0 },
});

describe.each(['insert', 'load-data'] as const)('write via %s', (method) => {
  const { open } = useDatabase();

  test('createIfMissing derives the table; rows read back equal, values intact', async () => {
    const connection = await open();
    const table = `people_${method.replace('-', '_')}`;
    const result = await connection.write({
      table,
      rows: batches(2_500, 700, person),
      createIfMissing: true,
      primaryKey: 'id',
      batchSize: 300,
      method,
    });
    expect(result).toMatchObject({ rowsWritten: 2_500, rowsInserted: 2_500, batches: 4, method });
    const back = await collect(connection.read({ table, orderBy: 'id' }));
    expect(back).toHaveLength(2_500);
    for (const index of [0, 1, 7, 10, 2_499]) {
      const expected = person(index);
      // Canonical values of the inferred types: integer(64) as bigint, a Date as the UTC instant of a
      // TIMESTAMP(3), booleans as TINYINT(1)'s 1/0, an object as its JSON text.
      expect(back[index]).toEqual({
        ...expected,
        id: BigInt(expected.id as number),
        big: expected.big,
        active: expected.active ? 1 : 0,
        born: (expected.born as Date).toISOString(),
        tags: JSON.stringify(expected.tags),
      });
    }
  });

  test('a failing batch rolls back: earlier batches stay with INSERT, the whole load goes with LOAD DATA', async () => {
    const connection = await open();
    const table = `strict_${method.replace('-', '_')}`;
    await connection.query(`CREATE TABLE ${table} (id INT PRIMARY KEY, v VARCHAR(5) NOT NULL)`);
    const rows = [
      [
        { id: 1, v: 'a' },
        { id: 2, v: 'b' },
      ],
      [
        { id: 3, v: 'c' },
        { id: 1, v: 'dup' },
      ],
    ];
    // The duplicate key is the server's refusal: LOAD DATA is one statement, so no batch owns it.
    await expect(connection.write({ table, rows, method })).rejects.toMatchObject({
      details: expect.objectContaining(
        method === 'insert' ? { batch: 2, committedRows: 2 } : { committedRows: 0 },
      ),
    });
    const { rows: left } = await connection.query(`SELECT id FROM ${table} ORDER BY id`);
    expect(left).toEqual(method === 'insert' ? [{ id: 1 }, { id: 2 }] : []);
  });
});

describe('write modes', () => {
  const { open } = useDatabase();

  test('upsert inserts new keys, updates existing ones, and is re-runnable with the same result', async () => {
    const connection = await open();
    await connection.query('CREATE TABLE stock (sku VARCHAR(10) PRIMARY KEY, qty INT, note TEXT)');
    await connection.write({ table: 'stock', rows: [[{ sku: 'a', qty: 1, note: 'old' }]] });
    const rows = [
      [
        { sku: 'a', qty: 5, note: 'new' },
        { sku: 'b', qty: 2, note: null },
      ],
      [{ sku: 'c', qty: 3, note: 'x' }],
    ];
    const first = await connection.write({ table: 'stock', rows, mode: 'upsert', primaryKey: 'sku' });
    expect(first).toMatchObject({ rowsWritten: 3, rowsInserted: 2, rowsUpdated: 1, method: 'insert' });
    const after = (await connection.query('SELECT * FROM stock ORDER BY sku')).rows;
    const again = await connection.write({ table: 'stock', rows, mode: 'upsert', primaryKey: 'sku' });
    expect(again).toMatchObject({ rowsWritten: 3, rowsInserted: 0, rowsUpdated: 3 });
    expect((await connection.query('SELECT * FROM stock ORDER BY sku')).rows).toEqual(after);
    expect(after).toEqual([
      { sku: 'a', qty: 5, note: 'new' },
      { sku: 'b', qty: 2, note: null },
      { sku: 'c', qty: 3, note: 'x' },
    ]);
  });

  test('upsert without a key is refused before anything is written', async () => {
    const connection = await open();
    await connection.query('CREATE TABLE keyless (a INT)');
    await expect(
      connection.write({ table: 'keyless', rows: [[{ a: 1 }]], mode: 'upsert' }),
    ).rejects.toMatchObject({ code: 'REQUEST_INVALID', category: 'config' });
  });

  test('replace swaps the content atomically: a concurrent reader only ever sees the old or the new table', async () => {
    const connection = await open();
    await connection.query('CREATE TABLE swapped (id INT PRIMARY KEY, gen INT)');
    await connection.write({ table: 'swapped', rows: batches(3_000, 1_000, (i) => ({ id: i, gen: 1 })) });
    const seen = new Set<string>();
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const { rows } = await connection.query(
          'SELECT COUNT(*) AS n, MIN(gen) AS lo, MAX(gen) AS hi FROM swapped',
        );
        const row = rows[0] as { n: bigint; lo: number; hi: number };
        seen.add(`${row.n}:${row.lo}:${row.hi}`);
      }
    })();
    const result = await connection.write({
      table: 'swapped',
      mode: 'replace',
      rows: batches(5_000, 1_000, (i) => ({ id: i, gen: 2 })),
      batchSize: 250,
      method: 'insert',
    });
    writing = false;
    await reader;
    expect(result).toMatchObject({ rowsWritten: 5_000, rowsDeleted: 3_000, batches: 5 });
    expect([...seen].every((state) => state === '3000:1:1' || state === '5000:2:2')).toBe(true);
    expect(seen.has('5000:2:2') || seen.has('3000:1:1')).toBe(true);
    const { rows: tables } = await connection.query("SHOW TABLES LIKE 'swapped%'");
    expect(tables).toHaveLength(1);
  });

  test('a replace that fails leaves the table as it was and no shadow behind', async () => {
    const connection = await open();
    await connection.query('CREATE TABLE kept (id INT PRIMARY KEY)');
    await connection.write({ table: 'kept', rows: [[{ id: 1 }, { id: 2 }]] });
    await expect(
      connection.write({ table: 'kept', mode: 'replace', rows: [[{ id: 5 }], [{ id: 5 }]] }),
    ).rejects.toMatchObject({ code: 'DUPLICATE_KEY' });
    expect((await connection.query('SELECT id FROM kept ORDER BY id')).rows).toEqual([{ id: 1 }, { id: 2 }]);
    expect((await connection.query("SHOW TABLES LIKE 'kept%'")).rows).toHaveLength(1);
  });

  test('statements are split by max_allowed_packet, not only by rows', async () => {
    const connection = await open();
    await connection.query('CREATE TABLE wide (id INT PRIMARY KEY, payload LONGTEXT)');
    const { rows } = await connection.query('SELECT @@max_allowed_packet AS max');
    const packet = Number((rows[0] as { max: bigint }).max);
    // Ten rows whose total is three packets: one statement would be refused by the server.
    const payload = 'x'.repeat(Math.floor((packet * 3) / 10));
    const result = await connection.write({
      table: 'wide',
      rows: [Array.from({ length: 10 }, (_, id) => ({ id, payload }))],
      method: 'insert',
    });
    expect(result).toMatchObject({ rowsWritten: 10, batches: 1 });
    const { rows: sizes } = await connection.query(
      'SELECT COUNT(*) AS n, SUM(LENGTH(payload)) AS bytes FROM wide',
    );
    expect(sizes[0]).toEqual({ n: 10n, bytes: String(payload.length * 10) });
  });

  test('an aborted write stops between or inside batches; what is committed is whole batches', async () => {
    const connection = await open();
    await connection.query('CREATE TABLE aborted_write (id INT PRIMARY KEY)');
    const controller = new AbortController();
    async function* slowBatches() {
      for (let batch = 0; batch < 100; batch++) {
        if (batch === 3) controller.abort(new Error('user pressed stop'));
        yield Array.from({ length: 100 }, (_, i) => ({ id: batch * 100 + i }));
        await new Promise((resolve) => setTimeout(resolve, 5));
      }
    }
    await expect(
      connection.write({
        table: 'aborted_write',
        rows: slowBatches(),
        method: 'insert',
        signal: controller.signal,
      }),
    ).rejects.toMatchObject({ code: 'ABORTED' });
    const { rows } = await connection.query('SELECT COUNT(*) AS n FROM aborted_write');
    const count = Number((rows[0] as { n: bigint }).n);
    expect(count % 100).toBe(0);
    expect(count).toBeLessThanOrEqual(400);
  });

  test('unknown columns and unknown tables fail clearly before writing', async () => {
    const connection = await open();
    await connection.query('CREATE TABLE known (id INT)');
    await expect(connection.write({ table: 'known', rows: [[{ id: 1, extra: 2 }]] })).rejects.toMatchObject({
      code: 'SCHEMA_MISMATCH',
    });
    await expect(connection.write({ table: 'absent', rows: [[{ id: 1 }]] })).rejects.toMatchObject({
      code: 'TABLE_NOT_FOUND',
      category: 'not_found',
    });
    await expect(connection.write({ table: 'bad`name\0', rows: [[{ id: 1 }]] })).rejects.toMatchObject({
      code: 'INVALID_IDENTIFIER',
    });
  });

  test('a read of one table feeds a write of another (MySQL types carried over by createIfMissing)', async () => {
    const connection = await open();
    await connection.query(
      'CREATE TABLE src (id BIGINT PRIMARY KEY, price DECIMAL(12,2), name VARCHAR(30), at DATETIME(3))',
    );
    await connection.query(
      "INSERT INTO src SELECT seq, seq / 7, CONCAT('n', seq), '2024-01-01 00:00:00.5' FROM seq_1_to_3000",
    );
    const result = await connection.write({
      table: 'dst',
      rows: connection.read({ table: 'src', orderBy: 'id' }),
      createIfMissing: true,
      primaryKey: 'id',
    });
    expect(result.rowsWritten).toBe(3_000);
    const { rows: columns } = await connection.query(
      "SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'dst' ORDER BY ORDINAL_POSITION",
    );
    expect(columns).toEqual([
      { name: 'id', type: 'bigint(20)' },
      { name: 'price', type: 'decimal(12,2)' },
      { name: 'name', type: 'varchar(30)' },
      { name: 'at', type: 'datetime(3)' },
    ]);
    const diff = await connection.query(
      'SELECT COUNT(*) AS n FROM src JOIN dst USING (id) WHERE src.price = dst.price AND src.name = dst.name AND src.at = dst.at',
    );
    expect(diff.rows[0]).toEqual({ n: 3000n });
  });
});
