import { closedPort, errorOutputs } from '@osiris/connector-testkit';
import { mintJwt } from '@osiris/test-services';
import { beforeAll, describe, expect, test } from 'vitest';
import { supabaseConnector } from '../src/index.js';
import { canary, failure, readAll, useSupabase } from './support.js';

const { service, connect, tables } = useSupabase();
const T = tables('parents', 'children', 'nowhere');

beforeAll(async () => {
  await service().sql(`CREATE TABLE ${T.parents} (id int PRIMARY KEY)`);
  await service().sql(
    `CREATE TABLE ${T.children} (id int PRIMARY KEY, parent int REFERENCES ${T.parents} (id))`,
  );
  await service().sql(`INSERT INTO ${T.parents} VALUES (1)`);
  await service().reloadSchema();
});

describe('every failure has a category and a hint', () => {
  test('a key the API rejects is auth', async () => {
    const connection = await connect({
      key: mintJwt({ role: 'service_role' }, 'another-secret-that-is-at-least-32-chars'),
    });
    const error = await failure(connection.check());
    expect(error).toMatchObject({ code: 'AUTH_FAILED', category: 'auth' });
    expect(error.hint).toContain('service-role');
    expect(await failure(readAll(connection.read({ table: T.parents, orderBy: 'id' })))).toMatchObject({
      category: 'auth',
    });
  });

  test('nothing listening is network', async () => {
    const connection = await connect({ url: `http://127.0.0.1:${await closedPort()}`, retries: 0 });
    const error = await failure(connection.check());
    expect(error).toMatchObject({ code: 'HOST_UNREACHABLE', category: 'network' });
    expect(error.message).toContain('ECONNREFUSED');
  });

  test('a schema the API does not expose is config, with a hint', async () => {
    const connection = await connect({ schema: 'private' });
    const error = await failure(connection.check());
    expect(error).toMatchObject({ code: 'SCHEMA_NOT_EXPOSED', category: 'config' });
    expect(error.hint).toMatch(/Exposed schemas/);
  });

  test('a missing table is not_found, before any row is sent', async () => {
    const connection = await connect();
    // A write learns the table's column types first, so the API description already says it is missing.
    const error = await failure(connection.write({ table: T.nowhere, rows: [[{ id: 1 }]] }));
    expect(error).toMatchObject({ code: 'TABLE_NOT_FOUND', category: 'not_found' });
    expect(error.hint).toContain('not exposed; check the schema');
  });

  test('a foreign-key violation (409 23503) names the batch', async () => {
    const connection = await connect({ batch_size: 2, concurrency: 1 });
    const error = await failure(
      connection.write({
        table: T.children,
        rows: [
          [
            { id: 1, parent: 1 },
            { id: 2, parent: 1 },
            { id: 3, parent: 9 },
          ],
        ],
      }),
    );
    expect(error).toMatchObject({
      code: 'VALUE_REJECTED',
      details: { status: 409, postgrestCode: '23503' },
    });
    expect(error.message).toContain('batch 2 (rows 3–3)');
  });

  test('an unknown column on write (400 PGRST204) is named', async () => {
    const connection = await connect();
    const error = await failure(connection.write({ table: T.parents, rows: [[{ id: 5, colour: 'red' }]] }));
    expect(error).toMatchObject({
      code: 'COLUMN_NOT_FOUND',
      category: 'not_found',
      details: { column: 'colour' },
    });
    expect(error.message).toContain('unknown column "colour"');
  });

  test('an upsert naming a key that is not unique is reported with what the database said', async () => {
    const connection = await connect();
    const error = await failure(
      connection.write({
        table: T.children,
        mode: 'upsert',
        onConflict: 'parent',
        rows: [[{ id: 9, parent: 1 }]],
      }),
    );
    expect(error.message).toMatch(/no unique or exclusion constraint/);
  });
});

describe('the key never shows', () => {
  test('in failures against a server that rejects it, an unreachable one, or with headers in scope', async () => {
    const secret = canary();
    const outputs: unknown[] = [];
    const rejected = await connect({ key: secret });
    outputs.push(await failure(rejected.check()));
    outputs.push(await failure(readAll(rejected.read({ table: T.parents, orderBy: 'id' }))));
    outputs.push(await failure(rejected.write({ table: T.parents, rows: [[{ id: 2 }]] })));
    const unreachable = await connect({
      key: secret,
      url: `http://127.0.0.1:${await closedPort()}`,
      retries: 0,
    });
    outputs.push(await failure(unreachable.check()));
    outputs.push(await failure(unreachable.write({ table: T.parents, rows: [[{ id: 2 }]] })));
    const withDb = await connect({
      key: secret,
      db_url: `postgres://user:${secret}@127.0.0.1:${await closedPort()}/x`,
    });
    outputs.push(await failure(withDb.describeTable(T.parents)));
    // A key that cannot go into a header: fetch's error quotes the whole header value.
    const raw = {
      ...supabaseConnector.configSchema.parse({ url: service().url, key: 'placeholder' }),
      key: `${secret}\u0000`,
    };
    const direct = await supabaseConnector.connect(raw, { reference: '@supabase.raw', alias: 'raw' });
    outputs.push(
      await failure(direct.check()),
      await failure(direct.write({ table: T.parents, rows: [[{ id: 3 }]] })),
    );
    expect(outputs.at(-1)).toMatchObject({ code: 'CONFIG_INVALID', category: 'config' });
    await direct.close();
    outputs.push(supabaseConnector.configSchema.safeParse({ url: service().url, key: `${secret} x` }).error);
    for (const output of outputs) {
      expect(errorOutputs(output).join('\n')).not.toContain(secret);
      expect(errorOutputs(output).join('\n')).toMatch(/ConnectorError|invalid_format/);
    }
  });
});
