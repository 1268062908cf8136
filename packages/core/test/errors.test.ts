import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { ConnectorError, MASK, redact, registerSecret, toConnectorError } from '../src/index.js';

const canary = `canary-${process.pid}-errors-p@ss/word`;
registerSecret(canary);

describe('ConnectorError', () => {
  test('keeps code, category, hint, retryable, reference and location', () => {
    const error = new ConnectorError('Variable DB_PASSWORD is not set', {
      code: 'MISSING_ENV',
      category: 'config',
      hint: 'Export DB_PASSWORD or add it to .env',
      reference: '@mysql.main',
      file: '/etc/osiris_connections.yaml',
      line: 7,
      column: 17,
    });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({
      code: 'MISSING_ENV',
      category: 'config',
      retryable: false,
      reference: '@mysql.main',
    });
    expect(error.location).toBe('/etc/osiris_connections.yaml:7:17');
    expect(error.withReference('@mysql.other').reference).toBe('@mysql.other');
  });

  test('scrubs a registered secret, and its URL-encoded form, from message, stack, cause chain, JSON and inspect', () => {
    const driverError = Object.assign(new Error(`Access denied for 'app' using password ${canary}`), {
      code: 'ER_ACCESS_DENIED_ERROR',
      errno: 1045,
      cause: new Error(`dsn mysql://app:${encodeURIComponent(canary)}@db/x`),
    });
    const error = new ConnectorError(`connect failed: ${canary}`, {
      code: 'AUTH_FAILED',
      category: 'auth',
      hint: `not ${canary}`,
      details: { url: `mysql://app:${encodeURIComponent(canary)}@db/x` },
      cause: driverError,
    });
    const outputs = [
      error.message,
      error.stack ?? '',
      error.hint ?? '',
      JSON.stringify(error),
      inspect(error, { depth: 10 }),
      String((error.cause as Error).message),
      String(((error.cause as Error).cause as Error).message),
      String((error.cause as Error).stack),
    ];
    for (const output of outputs) {
      expect(output).not.toContain(canary);
      expect(output).not.toContain(encodeURIComponent(canary));
    }
    expect(error.message).toBe(`connect failed: ${MASK}`);
    expect((error.cause as Error & { errno: number }).errno).toBe(1045);
  });

  test('redact leaves text without secrets untouched', () => {
    expect(redact('nothing to see')).toBe('nothing to see');
  });

  test('toConnectorError keeps a ConnectorError and wraps anything else', () => {
    const original = new ConnectorError('x', {
      code: 'CONNECTION_LOST',
      category: 'network',
      retryable: true,
    });
    expect(toConnectorError(original)).toBe(original);
    const wrapped = toConnectorError(new TypeError(`boom ${canary}`));
    expect(wrapped).toMatchObject({ code: 'INTERNAL', category: 'internal', message: `boom ${MASK}` });
  });

  test('huge and numerous secrets are still all redacted (no regex grows past what V8 compiles)', () => {
    const huge = `[${'['.repeat(100_000)}huge`;
    const many = Array.from({ length: 5_000 }, (_, i) => `many-secret-${i}-${'x'.repeat(40)}`);
    registerSecret(huge);
    for (const secret of many) registerSecret(secret);
    const text = redact(`a ${huge} b ${many[0]} c ${many[4_999]} d ${encodeURIComponent(huge)}`);
    expect(text).toBe(`a ${MASK} b ${MASK} c ${MASK} d ${MASK}`);
  });
});
