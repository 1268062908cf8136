// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about the ${VAR} syntax itself
/**
 * Tests of the original Python Osiris (keboola/osiris tests/core/test_config_connections.py,
 * tests/unit/test_config_connection_parse.py, tests/core/test_secrets_masking.py), ported onto this
 * library. Where this library differs on purpose, the test says so and asserts the new behaviour;
 * the root README's "Coming from Osiris (Python)" lists every difference.
 */
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import {
  createRegistry,
  createResolver,
  isSecretName,
  MASK,
  maskConfig,
  parseConnections,
  parseReference,
} from '../src/index.js';
import { caught, testPlugin } from './helpers/config.js';

// The original validated nothing: each family here takes whatever keys it is given.
const registry = createRegistry(
  ['mysql', 'supabase', 'duckdb'].map((family) => testPlugin(family, z.looseObject({}))),
);
const FILE = '/project/osiris_connections.yaml';
const resolverOf = (yaml: string, env: Record<string, string> = {}) =>
  createResolver({ registry, connections: parseConnections(yaml, FILE), env });

const SAMPLE = `
version: 1
connections:
  mysql:
    primary:
      default: true
      host: primary.db.com
      port: 3306
      user: admin
      password: \${MYSQL_PASSWORD}
    secondary:
      host: secondary.db.com
      port: 3306
      user: reader
      password: \${MYSQL_SECONDARY_PASSWORD}
  supabase:
    main:
      url: https://main.supabase.co
      key: \${SUPABASE_KEY}
    default:
      url: https://default.supabase.co
      key: \${SUPABASE_DEFAULT_KEY}
  duckdb:
    local:
      path: ./local.db
`;
const ENV = {
  MYSQL_PASSWORD: 'secret123',
  MYSQL_SECONDARY_PASSWORD: 'secret456',
  SUPABASE_KEY: 'key-main',
  SUPABASE_DEFAULT_KEY: 'key123',
};

describe('test_config_connections.py: load_connections_yaml', () => {
  test('test_load_with_connections: families, aliases and values as written', () => {
    const resolved = resolverOf(SAMPLE, ENV).resolve('@mysql.secondary').config;
    expect(resolved).toMatchObject({ host: 'secondary.db.com', port: '3306' });
  });

  test('test_env_substitution', () => {
    const resolved = resolverOf(SAMPLE, ENV).resolve('@mysql.primary').config;
    expect(resolved.password).toBe('secret123');
  });

  test('test_missing_env_var_preserved — differs on purpose: MISSING_ENV naming the variable, not "${MISSING_VAR}" sent on', () => {
    const error = caught(() => resolverOf(SAMPLE, {}).resolve('@mysql.primary'));
    expect(error).toMatchObject({ code: 'MISSING_ENV', line: 10 });
    expect(error.message).toContain('MYSQL_PASSWORD');
    // …and only the alias that uses it fails.
    expect(resolverOf(SAMPLE, {}).resolve('@duckdb').config).toEqual({ path: './local.db' });
  });

  test('test_load_empty_file — differs on purpose: CONFIG_INVALID saying the file has no connections section', () => {
    expect(caught(() => parseConnections('', FILE))).toMatchObject({ code: 'CONFIG_INVALID' });
    expect(caught(() => parseConnections('', FILE)).message).toContain('no "connections:" section');
  });

  test('test_nested_env_substitution', () => {
    const yaml =
      'connections:\n  mysql:\n    db:\n      ssl:\n        cert: ${CERT_PATH}\n        key: ${KEY_PATH}\n';
    const resolved = resolverOf(yaml, { CERT_PATH: '/path/to/cert', KEY_PATH: '/path/to/key' }).resolve(
      '@mysql.db',
    );
    expect(resolved.config.ssl).toEqual({ cert: '/path/to/cert', key: '/path/to/key' });
  });

  test('test_list_env_substitution', () => {
    const yaml =
      'connections:\n  mysql:\n    db:\n      hosts:\n        - ${HOST1}\n        - ${HOST2}\n        - static.host.com\n';
    const resolved = resolverOf(yaml, { HOST1: 'host1.com', HOST2: 'host2.com' }).resolve('@mysql.db');
    expect(resolved.config.hosts).toEqual(['host1.com', 'host2.com', 'static.host.com']);
  });
});

describe('test_config_connections.py: resolve_connection', () => {
  test('test_resolve_specific_alias: the default flag is removed', () => {
    const { config } = resolverOf(SAMPLE, ENV).resolve('@mysql.secondary');
    expect(config).toMatchObject({ host: 'secondary.db.com', user: 'reader', password: 'secret456' });
    expect(config).not.toHaveProperty('default');
  });

  test('test_resolve_default_with_flag', () => {
    const resolved = resolverOf(SAMPLE, ENV).resolve('@mysql');
    expect(resolved.reference).toBe('@mysql.primary');
    expect(resolved.config).toMatchObject({ host: 'primary.db.com', user: 'admin', password: 'secret123' });
  });

  test('test_resolve_default_named_default', () => {
    const { config } = resolverOf(SAMPLE, ENV).resolve('@supabase');
    expect(config).toMatchObject({ url: 'https://default.supabase.co', key: 'key123' });
  });

  test('test_resolve_no_default — here the only alias is the default, so two aliases without one are needed', () => {
    const yaml = 'connections:\n  duckdb:\n    local:\n      path: a\n    other:\n      path: b\n';
    const error = caught(() => resolverOf(yaml).resolve('@duckdb'));
    expect(error.code).toBe('NO_DEFAULT_ALIAS');
    expect(error.message).toContain('local');
    expect(resolverOf(SAMPLE).resolve('@duckdb').reference).toBe('@duckdb.local');
  });

  test('test_resolve_missing_env_var', () => {
    const error = caught(() => resolverOf(SAMPLE, {}).resolve('@mysql'));
    expect(error.message).toContain('MYSQL_PASSWORD');
    expect(error.message).toContain('not set');
  });

  test('test_parse_at_format', () => {
    expect(resolverOf(SAMPLE, ENV).resolve('@mysql.secondary').config.password).toBe('secret456');
  });

  test('test_invalid_at_format', () => {
    expect(caught(() => resolverOf(SAMPLE, ENV).resolve('mysql.primary'))).toMatchObject({
      code: 'INVALID_REFERENCE',
    });
  });

  test('test_missing_family: names the families there are', () => {
    const error = caught(() => resolverOf(SAMPLE, ENV).resolve('@postgresql.main'));
    expect(error.message).toContain('postgresql');
    expect(`${error.message} ${error.hint}`).toContain('mysql');
  });

  test('test_missing_alias: names the aliases there are', () => {
    const error = caught(() => resolverOf(SAMPLE, ENV).resolve('@mysql.nonexistent'));
    expect(error.code).toBe('UNKNOWN_ALIAS');
    expect(`${error.message} ${error.hint}`).toContain('primary');
  });
});

describe('test_config_connection_parse.py: parse_connection_ref', () => {
  test('test_parse_valid_reference, test_parse_with_underscore, test_parse_with_dash', () => {
    expect(parseReference('@mysql.primary')).toEqual({ family: 'mysql', alias: 'primary' });
    expect(parseReference('@supabase.prod_db')).toEqual({ family: 'supabase', alias: 'prod_db' });
    expect(parseReference('@duckdb.local-db')).toEqual({ family: 'duckdb', alias: 'local-db' });
  });

  test('test_parse_without_at_symbol, test_parse_empty_string, test_parse_none — differ on purpose: INVALID_REFERENCE, not (None, None)', () => {
    for (const reference of ['mysql.primary', '', null]) {
      expect(caught(() => parseReference(reference))).toMatchObject({ code: 'INVALID_REFERENCE' });
    }
  });

  test('test_parse_missing_dot — differs on purpose: @mysql means the default alias', () => {
    expect(parseReference('@mysql')).toEqual({ family: 'mysql', alias: undefined });
  });

  test('test_parse_empty_family, test_parse_empty_alias', () => {
    expect(caught(() => parseReference('@.alias')).code).toBe('INVALID_REFERENCE');
    expect(caught(() => parseReference('@mysql.')).code).toBe('INVALID_REFERENCE');
  });
});

describe('test_secrets_masking.py', () => {
  test('test_mask_sensitive_value_detects_sensitive_keys', () => {
    const keys = [
      'password',
      'PASSWORD',
      'Password',
      'token',
      'TOKEN',
      'api_token',
      'api_key',
      'apikey',
      'API_KEY',
    ];
    keys.push(
      'secret',
      'SECRET',
      'client_secret',
      'authorization',
      'auth',
      'AUTH',
      'credential',
      'credentials',
    );
    keys.push('private_key', 'privateKey', 'key', 'KEY', 'db_pw', 'admin_pass', 'access_key', 'session_key');
    expect(keys.filter((key) => !isSecretName(key))).toEqual([]);
    for (const key of keys) expect(maskConfig({ [key]: 'sensitive_data' })).toEqual({ [key]: MASK });
  });

  test('test_mask_sensitive_value_preserves_non_sensitive_keys', () => {
    const keys = [
      'username',
      'email',
      'host',
      'port',
      'database',
      'table',
      'schema',
      'columns',
      'name',
      'id',
    ];
    expect(keys.filter(isSecretName)).toEqual([]);
  });

  test('test_mask_sensitive_dict_masks_nested_structures', () => {
    const config = {
      host: 'localhost',
      port: 3306,
      username: 'user',
      password: 'secret123',
      database: { name: 'test_db', auth: { api_key: 'abc123xyz', secret: 'super_secret' } },
      options: ['ssl', 'timeout=30'],
    };
    expect(maskConfig(config)).toEqual({
      host: 'localhost',
      port: 3306,
      username: 'user',
      password: MASK,
      database: { name: 'test_db', auth: { api_key: MASK, secret: MASK } },
      options: ['ssl', 'timeout=30'],
    });
  });

  test('test_mask_sensitive_dict_handles_non_dict_input', () => {
    expect(maskConfig('string')).toBe('string');
    expect(maskConfig(123)).toBe(123);
    expect(maskConfig(null)).toBe(null);
    expect(maskConfig([1, 2, 3])).toEqual([1, 2, 3]);
  });

  test('test_mask_sensitive_dict_handles_lists_with_dicts', () => {
    const masked = maskConfig({
      connections: [
        { host: 'db1', password: 'pass1' },
        { host: 'db2', token: 'token123' },
      ],
    });
    expect(masked).toEqual({
      connections: [
        { host: 'db1', password: MASK },
        { host: 'db2', token: MASK },
      ],
    });
  });

  test('test_mask_sensitive_string_masks_key_value_patterns: URL passwords and secret query parameters', () => {
    const masked = maskConfig({
      dsn_text: 'mysql://user:password123@host',
      query: 'https://h/?api_key=abc123&other=value',
    });
    expect(masked).toEqual({
      dsn_text: `mysql://user:${MASK}@host`,
      query: `https://h/?api_key=${MASK}&other=value`,
    });
  });

  test('test_no_secrets_leaked_in_logs', () => {
    const sensitive = {
      mysql_password: 'super_secret_password_123',
      api_key: 'sk-1234567890abcdef',
      authorization: 'Bearer token_xyz_sensitive',
      private_key: '-----BEGIN PRIVATE KEY-----\nMII...',
      client_secret: 'oauth_secret_abc123',
      database: { auth: { password: 'nested_secret', token: 'nested_token_456' } },
    };
    const printed = JSON.stringify(maskConfig(sensitive));
    for (const secret of [
      'super_secret_password_123',
      'sk-1234567890abcdef',
      'Bearer token_xyz_sensitive',
      'MII...',
    ]) {
      expect(printed).not.toContain(secret);
    }
    expect(printed).not.toMatch(/oauth_secret_abc123|nested_secret|nested_token_456/);
  });

  test('test_edge_cases: {password: null} prints as the mask; a null non-secret stays null', () => {
    expect(maskConfig({})).toEqual({});
    expect(maskConfig({ password: null, username: null })).toEqual({ password: MASK, username: null });
  });
});
