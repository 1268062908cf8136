import { describe, expect, test } from 'vitest';
import { isSecretField, isSecretName } from '../src/index.js';

describe('isSecretName', () => {
  test.each([
    'password',
    'passwd',
    'pwd',
    'secret',
    'token',
    'key',
    'api_key',
    'apikey',
    'private_key',
    'service_role_key',
    'credentials',
    'dsn',
    'pg_dsn',
    'connection_string',
    'ssl_password',
    'sslpassword',
    'db_pass',
    'client_secret',
    'access_token',
    'refresh_tokens',
    'anon_key',
    'ssl_key',
    'encryption_key',
    'private_key_passphrase',
    'apiKey',
    'serviceRoleKey',
    'APIKey',
    'DB_PASSWORD',
    'x-api-key',
    'auth',
    'AUTH',
    'authorization',
    'Authorization',
    'bearer',
    'access_key_id',
    'aws_access_key_id',
    'secret_access_key',
    'session_token',
    'db_pw',
    'oracle_pw',
  ])('%s is a secret name', (name) => {
    expect(isSecretName(name)).toBe(true);
  });

  test.each([
    'primary_key',
    'primaryKey',
    'primary_keys',
    'foreign_key',
    'sort_key',
    'partition_key',
    'unique_key',
    'shard_key',
    'merge_key',
    'upsert_key',
    'conflict_key',
    'public_key',
    'ssh_public_key',
    'object_key',
    'key_column',
    'key_columns',
    'key_prefix',
    'keyspace',
    'monkey',
    'password_file',
    'token_url',
    'secret_name',
    'host',
    'port',
    'user',
    'username',
    'url',
    'bypass',
    'compass',
    'auto_refresh_token',
    'use_password',
    'require_token',
    'allowSecret',
    'author',
    'auth_method',
    'auth_type',
    'use_auth',
  ])('%s is not a secret name', (name) => {
    expect(isSecretName(name)).toBe(false);
  });
});

describe('isSecretField', () => {
  test('a declared JSON Pointer is secret, and so is everything under it', () => {
    expect(isSecretField('/ssl/cert', ['/ssl/cert'])).toBe(true);
    expect(isSecretField('/auth/value', ['/auth'])).toBe(true);
    expect(isSecretField('/ssl/cert')).toBe(false);
    expect(isSecretField('/authority', ['/auth'])).toBe(false);
  });

  test('a common name anywhere on the path makes the field secret; list indexes are skipped over', () => {
    expect(isSecretField('/password')).toBe(true);
    expect(isSecretField('/ssl/key')).toBe(true);
    expect(isSecretField('/credentials/client_email')).toBe(true);
    expect(isSecretField('/tokens/0')).toBe(true);
    expect(isSecretField('/replicas/1/password')).toBe(true);
    expect(isSecretField('/options/primary_key')).toBe(false);
    expect(isSecretField('/tables/0/key_column')).toBe(false);
  });

  test('JSON Pointer escapes are honoured', () => {
    expect(isSecretField('/a~1b', ['/a~1b'])).toBe(true);
    expect(isSecretField('/x~1password')).toBe(true);
  });

  test('a bare name is judged by name', () => {
    expect(isSecretField('api_key')).toBe(true);
    expect(isSecretField('primary_key')).toBe(false);
  });
});
