import { randomBytes } from 'node:crypto';
import { canaryLeaks, closedPort, errorOutputs, newCanary } from '@osiris/connector-testkit';
import {
  createConnectionManager,
  createRegistry,
  createResolver,
  doctor,
  parseConnections,
} from '@osiris/core';
import { describe, expect, test } from 'vitest';
import { postgresConfigSchema, postgresConnector } from '../src/index.js';
import { connect, useDatabase } from './support.js';

describe('config', () => {
  const parse = (input: Record<string, unknown>) => postgresConfigSchema.parse(input);

  test('a URL is taken apart, libpq query parameters included', () => {
    expect(
      parse({
        url: 'postgresql://app:p%40ss@db.internal:6543/sales?sslmode=require&application_name=etl&connect_timeout=3',
      }),
    ).toMatchObject({
      host: 'db.internal',
      port: 6543,
      user: 'app',
      password: 'p@ss',
      database: 'sales',
      sslmode: 'require',
      application_name: 'etl',
      connect_timeout: 3,
      schema: 'public',
      pool_size: 5,
      statement_timeout: 30,
      read_only: false,
    });
  });

  test('separate keys, with the names libpq users write, coerced from strings', () => {
    expect(
      parse({
        host: 'h',
        port: '5433',
        dbname: 'd',
        username: 'u',
        sslrootcert: '/ca.pem',
        read_only: 'true',
        pool_size: '2',
      }),
    ).toMatchObject({
      host: 'h',
      port: 5433,
      database: 'd',
      user: 'u',
      ssl_ca: '/ca.pem',
      sslmode: 'verify-full',
      read_only: true,
      pool_size: 2,
    });
  });

  test.each([
    [{ user: 'u', hots: 'x' }, /hots/],
    [{ host: 'h' }, /user is required/],
    [{ user: 'u', username: 'v' }, /another name for `user`/],
    [{ url: 'postgres://u@h/db', database: 'other' }, /both in `url` and as its own key/],
    [{ url: 'mysql://u@h/db' }, /must start with postgres/],
    [{ url: 'postgres://u@h/db?sslmode=prefer' }, /url: .*disable, require, verify-ca, verify-full/],
    [{ url: 'postgres://u@h/db?target_session_attrs=any' }, /not supported/],
    [{ user: 'u', sslmode: 'allow' }, /disable, require, verify-ca, verify-full/],
    [{ user: 'u', sslmode: 'require', ssl_ca: 'x' }, /only used to verify/],
    [{ user: 'u', statement_timeout: -1 }, /./],
  ])('refuses %j', (input, message) => {
    const result = postgresConfigSchema.safeParse(input);
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toMatch(message);
  });

  test('a URL password never appears in a refusal', () => {
    const result = postgresConfigSchema.safeParse({ url: 'postgres://u:hunter2secret@h/db?bogus=1' });
    expect(JSON.stringify(result.error?.issues)).not.toContain('hunter2secret');
  });
});

describe('check and discover', () => {
  const { db, open } = useDatabase();

  test('check reports version, database, user, TLS and latency', async () => {
    const connection = await open();
    const report = await connection.check();
    expect(report.message).toMatch(new RegExp(`^PostgreSQL \\d+\\.\\d+.*, database ${db().database}$`));
    expect(report.details).toMatchObject({
      database: db().database,
      schema: 'public',
      tls: null,
      readOnly: false,
    });
    expect(report.details?.latencyMs).toBeTypeOf('number');
  });

  test('failures are categorised: unknown database, unknown role, missing schema, missing privilege', async () => {
    const base = { url: db().url, connect_timeout: 5 };
    const check = async (config: Record<string, unknown>) => {
      const connection = await connect(config);
      try {
        return await connection.check().then(
          () => undefined,
          (error) => error,
        );
      } finally {
        await connection.close();
      }
    };
    expect(await check({ ...base, url: `${db().url}_missing` })).toMatchObject({
      code: 'DATABASE_NOT_FOUND',
      category: 'not_found',
    });
    expect(await check({ ...base, url: db().url.replace('postgres@', 'osiris_nobody@') })).toMatchObject({
      code: 'AUTH_FAILED',
      category: 'auth',
    });
    expect(await check({ ...base, schema: 'nowhere' })).toMatchObject({
      code: 'SCHEMA_NOT_FOUND',
      category: 'not_found',
    });

    const role = `osiris_limited_${randomBytes(3).toString('hex')}`;
    await db().sql(`CREATE ROLE ${role} LOGIN`);
    try {
      await db().sql('CREATE TABLE secret_stuff (id int)');
      const limited = await connect({ ...base, url: db().url.replace('postgres@', `${role}@`) });
      try {
        await expect(limited.query('SELECT * FROM secret_stuff')).rejects.toMatchObject({
          code: 'PERMISSION_DENIED',
          category: 'permission',
        });
      } finally {
        await limited.close();
      }
    } finally {
      await db().sql(`DROP OWNED BY ${role}; DROP ROLE ${role}`);
    }
  });

  test('sslmode require against a server without TLS fails as a TLS (network) problem', async () => {
    const connection = await connect({ url: db().url, sslmode: 'require', connect_timeout: 5 });
    try {
      await expect(connection.check()).rejects.toMatchObject({ code: 'TLS', category: 'network' });
    } finally {
      await connection.close();
    }
  });

  test('a password inside url reaches no error output (message, stack, cause, inspect, JSON)', async () => {
    const secret = newCanary();
    const url = `postgres://osiris:${encodeURIComponent(secret)}@127.0.0.1:${await closedPort()}/osiris`;
    const connection = await connect({ url, connect_timeout: 5 });
    try {
      const error = await connection.check().then(
        () => undefined,
        (failure: unknown) => failure,
      );
      expect(error).toMatchObject({ category: 'network' });
      expect(canaryLeaks(errorOutputs(error), secret)).toEqual([]);
      const invalid = postgresConfigSchema.safeParse({ url: `${url}?nope=1` });
      expect(canaryLeaks([JSON.stringify(invalid.error?.issues)], secret)).toEqual([]);
    } finally {
      await connection.close();
    }
  });

  test('doctor runs check through core with the password as ${PGPASSWORD}', async () => {
    const connections = parseConnections(
      JSON.stringify({ connections: { postgres: { main: { url: db().url, password: '${PGPASSWORD}' } } } }),
      '/t/osiris_connections.yaml',
    );
    // The URL has no password of its own; the trust server accepts any.
    const registry = createRegistry([postgresConnector]);
    const resolver = createResolver({ registry, connections, env: { PGPASSWORD: 'not-needed-here' } });
    const report = await doctor({ registry, resolver, timeoutMs: 5_000 });
    expect(report.results[0]).toMatchObject({ status: 'ok', reference: '@postgres.main' });
    await createConnectionManager({ registry, resolver }).closeAll();
  });

  test('discover lists tables and views with columns, keys and row estimates', async () => {
    await db().sql(`
      CREATE TABLE orders (id bigint PRIMARY KEY, total numeric(10,2) NOT NULL, note text);
      INSERT INTO orders SELECT g, g * 1.5, NULL FROM generate_series(1, 50) g;
      ANALYZE orders;
      CREATE VIEW big_orders AS SELECT id, total FROM orders WHERE total > 10;
      CREATE SCHEMA other; CREATE TABLE other.hidden (id int);`);
    const connection = await open();
    const resources = await connection.discover();
    const orders = resources.find((resource) => resource.name === 'orders');
    expect(orders).toMatchObject({
      kind: 'table',
      rowEstimate: 50,
      details: { schema: 'public', primaryKey: ['id'] },
    });
    expect(orders?.columns).toEqual([
      {
        name: 'id',
        type: { kind: 'integer', bits: 64, unsigned: false },
        nativeType: 'bigint',
        nullable: false,
        primaryKey: true,
      },
      {
        name: 'total',
        type: { kind: 'decimal', precision: 10, scale: 2 },
        nativeType: 'numeric(10,2)',
        nullable: false,
        primaryKey: false,
      },
      { name: 'note', type: { kind: 'string' }, nativeType: 'text', nullable: true, primaryKey: false },
    ]);
    expect(resources.find((resource) => resource.name === 'big_orders')).toMatchObject({ kind: 'view' });
    expect(resources.map((resource) => resource.name)).not.toContain('hidden');
    const other = await open({ schema: 'other' });
    expect((await other.discover()).map((resource) => resource.name)).toEqual(['hidden']);
  });
});
