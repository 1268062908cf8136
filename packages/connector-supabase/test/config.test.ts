import { describe, expect, test } from 'vitest';
import { databaseUrl } from '../src/direct-database.js';
import { supabaseConnector } from '../src/index.js';

const parse = (config: Record<string, unknown>) => supabaseConnector.configSchema.safeParse(config);

describe('the original Osiris keys', () => {
  test('service_role_key, anon_key and key, in the original precedence', () => {
    const url = 'https://abc.supabase.co';
    expect(parse({ url, service_role_key: 'srk', anon_key: 'ak', key: 'k' }).data?.key).toBe('srk');
    expect(parse({ url, anon_key: 'ak', key: 'k' }).data?.key).toBe('ak');
    expect(parse({ url, key: 'k' }).data?.key).toBe('k');
    expect(parse({ url }).error?.issues[0]?.message).toContain('"key" (or "service_role_key" / "anon_key")');
  });

  test('project_id stands for https://<id>.supabase.co; with url too it is refused', () => {
    expect(parse({ project_id: 'abcdefgh', key: 'k' }).data?.url).toBe('https://abcdefgh.supabase.co');
    expect(
      parse({ project_id: 'abc', url: 'https://abc.supabase.co', key: 'k' }).error?.issues[0],
    ).toMatchObject({
      path: ['project_id'],
    });
    expect(parse({ project_id: 'evil.com/x', key: 'k' }).success).toBe(false);
  });

  test('pg_dsn is db_url; password fills a database URL written without one', () => {
    const base = { url: 'https://abc.supabase.co', key: 'k' };
    const dsn = 'postgresql://postgres@db.abc.supabase.co:5432/postgres';
    expect(parse({ ...base, pg_dsn: dsn }).data?.db_url).toBe(dsn);
    expect(parse({ ...base, pg_dsn: dsn, password: 'p@ss word' }).data?.db_url).toBe(
      'postgresql://postgres:p%40ss%20word@db.abc.supabase.co:5432/postgres',
    );
    expect(
      parse({ ...base, db_url: 'postgres://u:pw@h/d', password: 'other' }).error?.issues[0],
    ).toMatchObject({
      path: ['password'],
    });
    expect(parse({ ...base, db_url: 'postgres://u:pw@h/d', password: 'pw' }).data?.db_url).toBe(
      'postgres://u:pw@h/d',
    );
    expect(parse({ ...base, db_url: dsn, pg_dsn: dsn }).error?.issues[0]).toMatchObject({ path: ['pg_dsn'] });
    const resolved = parse({ ...base, pg_dsn: dsn, password: 'pw' }).data ?? {};
    expect(Object.keys(resolved)).not.toContain('pg_dsn');
    expect(Object.keys(resolved)).not.toContain('password');
  });
});

describe('db_url in the forms the dashboard gives', () => {
  const base = { url: 'https://abc.supabase.co', key: 'k' };

  test("a URI is kept; the pool and the COPY path drop an ORM's pgbouncer=true", () => {
    const uri =
      'postgresql://postgres.abc:pw@aws-0-eu-central-1.pooler.supabase.com:5432/postgres?pgbouncer=true';
    expect(parse({ ...base, db_url: uri }).data?.db_url).toBe(uri);
    expect(databaseUrl(uri)).toBe(
      'postgresql://postgres.abc:pw@aws-0-eu-central-1.pooler.supabase.com:5432/postgres',
    );
  });

  test('libpq key=value words become one URI, quoted values and escapes included; password fills one in', () => {
    const quoted =
      "host=db.abc.supabase.co port=5432 dbname='my db' user=postgres sslmode=require password='p\\'w d@:/'";
    const url = new URL(databaseUrl(quoted));
    expect([url.hostname, url.port, decodeURIComponent(url.pathname), url.username]).toEqual([
      'db.abc.supabase.co',
      '5432',
      '/my db',
      'postgres',
    ]);
    expect(decodeURIComponent(url.password)).toBe("p'w d@:/");
    expect(url.searchParams.get('sslmode')).toBe('require');
    const filled = parse({ ...base, db_url: 'host=h dbname=d user=u', password: 's3cret word' }).data?.db_url;
    expect(decodeURIComponent(new URL(databaseUrl(filled!)).password)).toBe('s3cret word');
  });

  test('anything else is refused when the config is read, without echoing it', () => {
    const error = parse({ ...base, db_url: 'db.abc.supabase.co:5432 secret-ish' }).error;
    expect(error?.issues[0]).toMatchObject({ path: ['db_url'] });
    expect(error?.issues[0]?.message).toContain('neither a postgres:// URI nor libpq key=value words');
    expect(JSON.stringify(error)).not.toContain('secret-ish');
  });
});

// keboola/osiris tests/core/test_validation_connections.py, ported.
describe('test_validation_connections.py', () => {
  test('test_supabase_schema_accepts_adr20_fields — differs on purpose: two different database passwords are refused', () => {
    const written = {
      url: 'https://project.supabase.co',
      key: 'test-key',
      pg_dsn: 'postgresql://user:pass@host:5432/db',
    };
    expect(parse({ ...written, password: 'pass' }).success).toBe(true);
    expect(parse({ ...written, password: 'dbpass' }).error?.issues[0]?.message).toBe(
      '`password` differs from the password in the database URL; keep one',
    );
  });

  test('test_supabase_schema_accepts_key_variants', () => {
    const result = parse({
      url: 'https://project.supabase.co',
      key: 'anon-key',
      service_role_key: 'service-key',
    });
    expect(result.data?.key).toBe('service-key');
  });
});
