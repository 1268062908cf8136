import { describe, expect, test } from 'vitest';
import { useDatabase } from './support.js';

describe('check and discover', () => {
  const { db, open } = useDatabase();

  test('check() reports server, database, user, TLS and latency', async () => {
    const connection = await open();
    const report = await connection.check({ timeoutMs: 5_000 });
    expect(report.message).toMatch(
      new RegExp(`^(MariaDB|MySQL) \\d+\\.\\d+\\.\\d+, database ${db().database}$`),
    );
    expect(report.details).toMatchObject({ database: db().database, tls: null, readOnly: false });
    expect(report.details?.latencyMs).toBeGreaterThan(0);
  });

  test('discover() lists tables and views with row estimates, columns, keys and defaults', async () => {
    const connection = await open();
    await connection.query(
      "CREATE TABLE orders (id BIGINT UNSIGNED AUTO_INCREMENT, region CHAR(2) NOT NULL DEFAULT 'EU', total DECIMAL(10,2), PRIMARY KEY (id, region)) COMMENT 'sales'",
    );
    await connection.query('INSERT INTO orders (total) VALUES (1.5), (2.5)');
    await connection.query('CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 2');
    await connection.query('ANALYZE TABLE orders');
    const found = await connection.discover();
    const orders = found.find((resource) => resource.name === 'orders');
    expect(orders).toMatchObject({
      kind: 'table',
      rowEstimate: 2,
      details: { primaryKey: ['id', 'region'], engine: 'InnoDB', comment: 'sales' },
    });
    expect(orders?.columns).toEqual([
      {
        name: 'id',
        type: { kind: 'integer', bits: 64, unsigned: true },
        nativeType: 'bigint(20) unsigned',
        nullable: false,
        primaryKey: true,
        defaultValue: null,
        key: 'PRI',
        extra: 'auto_increment',
        charset: null,
      },
      {
        name: 'region',
        type: { kind: 'string', maxLength: 2 },
        nativeType: 'char(2)',
        nullable: false,
        primaryKey: true,
        defaultValue: "'EU'",
        key: 'PRI',
        extra: '',
        charset: 'utf8mb4',
      },
      {
        name: 'total',
        type: { kind: 'decimal', precision: 10, scale: 2 },
        nativeType: 'decimal(10,2)',
        nullable: true,
        primaryKey: false,
        defaultValue: 'NULL',
        key: '',
        extra: '',
        charset: null,
      },
    ]);
    expect(found.find((resource) => resource.name === 'big_orders')).toMatchObject({
      kind: 'view',
      columns: [expect.objectContaining({ name: 'id' }), expect.objectContaining({ name: 'total' })],
    });
  });

  test('discover() passes names as parameters: a database named with quotes is just a name', async () => {
    const name = `${db().database}_q'"\\`;
    const quoted = `\`${name.replaceAll('`', '``')}\``;
    await db().admin.query(`CREATE DATABASE ${quoted}`);
    try {
      await db().admin.query(`CREATE TABLE ${quoted}.\`it's\` (id INT PRIMARY KEY)`);
      const connection = await open({ database: name });
      const found = await connection.discover();
      expect(found.map((resource) => [resource.name, resource.details?.primaryKey])).toEqual([
        ["it's", ['id']],
      ]);
      await connection.close();
    } finally {
      await db().admin.query(`DROP DATABASE ${quoted}`);
    }
  });
});
