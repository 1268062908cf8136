import { beforeAll, describe, expect, test } from 'vitest';
import { readAll, useSupabase } from './support.js';

const { service, connect, tables } = useSupabase();
const INT64 = { kind: 'integer', bits: 64, unsigned: false };
const T = tables('orders', 'lines', 'big_orders');
const awkward = Object.values(tables('odd "name"; drop'))[0]!;

beforeAll(async () => {
  const sql = service().sql;
  await sql(`CREATE TABLE ${T.orders} (
    id bigint PRIMARY KEY, customer text NOT NULL, total numeric(10,2) DEFAULT 0, placed timestamptz DEFAULT now())`);
  await sql(`CREATE TABLE ${T.lines} (order_id bigint, line int, sku text, PRIMARY KEY (line, order_id))`);
  await sql(`CREATE VIEW ${T.big_orders} AS SELECT id, total FROM ${T.orders} WHERE total > 100`);
  await sql(`CREATE TABLE "${awkward.replace(/"/g, '""')}" (id int PRIMARY KEY, v text)`);
  await service().reloadSchema();
});

describe('check()', () => {
  test('reports the server version and latency', async () => {
    const report = await (await connect()).check();
    expect(report.message).toMatch(/^PostgREST 12\.0\.2 at 127\.0\.0\.1:\d+, schema public/);
    expect(report.details).toMatchObject({ serverVersion: '12.0.2', schema: 'public' });
    expect(report.details?.latencyMs).toBeTypeOf('number');
  });
});

describe('discover() and describeTable()', () => {
  test('from the OpenAPI document: columns, types, nullability, defaults, primary key', async () => {
    const connection = await connect();
    const found = await connection.discover();
    expect(found.map((r) => r.name)).toEqual(
      expect.arrayContaining([T.orders, T.lines, T.big_orders, awkward]),
    );
    const orders = found.find((r) => r.name === T.orders)!;
    expect(orders.columns).toEqual([
      { name: 'id', type: INT64, nativeType: 'bigint', nullable: false, primaryKey: true },
      { name: 'customer', type: { kind: 'string' }, nativeType: 'text', nullable: false, primaryKey: false },
      // The OpenAPI document has no typmods: scale and precision are unknown without db_url.
      { name: 'total', type: { kind: 'decimal' }, nativeType: 'numeric', nullable: true, primaryKey: false },
      {
        name: 'placed',
        type: { kind: 'timestamp', precision: 6 },
        nativeType: 'timestamp with time zone',
        nullable: true,
        primaryKey: false,
      },
    ]);
    expect(orders.details).toMatchObject({ primaryKey: ['id'], defaults: { total: '0', placed: 'now()' } });
  });

  test('through db_url: exact types, views told apart, composite keys in key order, row estimates', async () => {
    const connection = await connect({ db_url: service().dbUrl });
    const found = await connection.discover();
    expect(found.find((r) => r.name === T.big_orders)?.kind).toBe('view');
    expect(found.find((r) => r.name === T.orders)?.columns?.[2]).toEqual({
      name: 'total',
      type: { kind: 'decimal', precision: 10, scale: 2 },
      nativeType: 'numeric(10,2)',
      nullable: true,
      primaryKey: false,
    });
    expect((await connection.describeTable(T.lines)).primaryKey).toEqual(['line', 'order_id']);
    expect(found.find((r) => r.name === T.orders)?.rowEstimate).toBeTypeOf('number');
  });

  test('a table name full of SQL and URL syntax is only ever a name', async () => {
    const connection = await connect({ db_url: service().dbUrl });
    expect((await connection.describeTable(awkward)).primaryKey).toEqual(['id']);
    await connection.write({ table: awkward, rows: [[{ id: 1, v: 'a' }]], mode: 'replace' });
    expect(await readAll(connection.read({ table: awkward }))).toEqual([{ id: 1, v: 'a' }]);
    expect((await service().sql(`SELECT count(*)::int AS n FROM ${T.orders}`)).rows[0]).toEqual({ n: 0 });
  });
});
