import { describe, expect, test } from 'vitest';
import { mysqlConnector } from '../src/index.js';

const parse = (config: Record<string, unknown>) => mysqlConnector.configSchema.safeParse(config);
const messages = (config: Record<string, unknown>) => {
  const result = parse(config);
  return result.success
    ? []
    : result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
};

describe('config', () => {
  test("the original's keys with their defaults", () => {
    expect(mysqlConnector.configSchema.parse({ username: 'app', database: 'sales' })).toEqual({
      host: 'localhost',
      port: 3306,
      username: 'app',
      database: 'sales',
      charset: 'utf8mb4',
      connect_timeout: 10,
      read_timeout: 30,
      pool_size: 5,
      max_overflow: 10,
      pool_recycle: 3600,
      pool_pre_ping: true,
      pool_timeout: 30,
      require_ssl: false,
      read_only: false,
      timezone: 'Z',
    });
  });

  test('values interpolated from the environment arrive as strings and are coerced', () => {
    const config = mysqlConnector.configSchema.parse({
      host: 'db',
      port: '3307',
      user: 'app',
      password: 'pw',
      pool_size: '2',
      connect_timeout: '2.5',
      read_only: 'true',
      pool_pre_ping: 'false',
    });
    expect(config).toMatchObject({
      port: 3307,
      username: 'app',
      pool_size: 2,
      connect_timeout: 2.5,
      read_only: true,
      pool_pre_ping: false,
    });
    expect(config).not.toHaveProperty('user');
  });

  test('a mysql:// url fills the connection fields, percent-decoded', () => {
    expect(
      mysqlConnector.configSchema.parse({ url: 'mysql://app%40corp:p%40ss%2Fw@db.example:3310/sales' }),
    ).toMatchObject({
      host: 'db.example',
      port: 3310,
      username: 'app@corp',
      password: 'p@ss/w',
      database: 'sales',
    });
    expect(mysqlConnector.configSchema.parse({ url: 'mysql://app@[::1]/x' })).toMatchObject({
      host: '::1',
      port: 3306,
    });
  });

  test('conflicts and mistakes are refused with the field named, never echoing the url', () => {
    expect(messages({ user: 'a', username: 'b' })).toEqual([
      'user: `user` is an alias of `username`; set only one of them',
    ]);
    expect(messages({ url: 'mysql://a:pw@h/db', password: 'x' })).toEqual([
      'password: `password` is given both in `url` and as its own key, with different values; keep one',
    ]);
    // The original accepted both; the same value twice is no conflict.
    expect(
      mysqlConnector.configSchema.parse({ url: 'mysql://a:pw@h/db', password: 'pw', host: 'h' }),
    ).toMatchObject({
      host: 'h',
      password: 'pw',
    });
    expect(messages({ url: 'postgres://a:secretpw@h/db' })).toEqual([
      'url: url must start with mysql:// (got postgres://)',
    ]);
    expect(messages({ url: 'mysql://a:secretpw@h/db?ssl=true' })[0]).toMatch(
      /^url: url takes no query string/,
    );
    expect(messages({ url: 'not a url with secretpw' })[0]).toMatch(/^url: url is not a valid URL/);
    expect(messages({ host: 'h' })).toEqual([
      'username: A user is required: set `username` (or `user`), or put it in `url`',
    ]);
    expect(messages({ username: 'a', port: 70000 })[0]).toMatch(/^port: /);
    expect(messages({ username: 'a', timezone: 'Europe/Prague' })[0]).toMatch(/^timezone: Use 'Z', 'local'/);
    expect(messages({ username: 'a', pool_size: 0 })[0]).toMatch(/^pool_size: /);
    expect(messages({ username: 'a', poolsize: 3 })[0]).toMatch(/poolsize/);
    for (const issue of [
      ...messages({ url: 'postgres://a:secretpw@h/db' }),
      ...messages({ url: 'not a url with secretpw' }),
    ]) {
      expect(issue).not.toContain('secretpw');
    }
  });

  test('dsn, the original Osiris name of url, is read as url; both at once are refused', () => {
    const config = mysqlConnector.configSchema.parse({ dsn: 'mysql://app:pw-dsn-1@db:3307/sales' });
    expect(config).toMatchObject({
      host: 'db',
      port: 3307,
      username: 'app',
      password: 'pw-dsn-1',
      database: 'sales',
    });
    expect(config).not.toHaveProperty('dsn');
    const both = mysqlConnector.configSchema.safeParse({ dsn: 'mysql://a@db/x', url: 'mysql://a@db/x' });
    expect(both.error?.issues[0]).toMatchObject({
      path: ['dsn'],
      message: '`dsn` is an alias of `url`; set only one of them',
    });
    const bad = mysqlConnector.configSchema.safeParse({ dsn: 'postgres://a@db/x' });
    expect(bad.error?.issues[0]).toMatchObject({ path: ['dsn'] });
  });

  test('password, url and dsn are declared secret; the summary shows none', () => {
    expect(mysqlConnector.secrets).toEqual(['/password', '/url', '/dsn']);
    const config = mysqlConnector.configSchema.parse({
      url: 'mysql://app:hunter22@db:3306/sales',
      read_only: true,
    });
    expect(mysqlConnector.summarize?.(config)).toBe('app@db:3306/sales (read-only)');
  });
});

// keboola/osiris tests/core/test_validation_connections.py, ported.
describe('test_validation_connections.py', () => {
  const written = { host: 'localhost', database: 'testdb', user: 'testuser', password: 'testpass' };

  test('test_mysql_schema_accepts_adr20_fields (alias: is metadata the resolver removes first)', () => {
    expect(
      mysqlConnector.configSchema.safeParse({ ...written, port: 3306, charset: 'utf8mb4' }).success,
    ).toBe(true);
  });

  test('test_mysql_schema_accepts_dsn_alternative: the same values in dsn and in their own keys', () => {
    const dsn = 'mysql://testuser:testpass@localhost:3306/testdb';
    expect(mysqlConnector.configSchema.parse({ ...written, dsn })).toMatchObject({
      username: 'testuser',
      port: 3306,
    });
  });
});
