import { describe, expect, test } from 'vitest';
import { SOCKET_ERROR_RULES } from '../src/index.js';

describe('SOCKET_ERROR_RULES', () => {
  test('an unreachable server is a network error; a refused or unroutable one is worth retrying, a name that does not resolve is not', () => {
    expect(SOCKET_ERROR_RULES.ECONNREFUSED).toMatchObject({
      code: 'CONNECTION_REFUSED',
      category: 'network',
      retryable: true,
    });
    expect(SOCKET_ERROR_RULES.EHOSTUNREACH).toMatchObject({ code: 'HOST_UNREACHABLE', retryable: true });
    expect(SOCKET_ERROR_RULES.ENETUNREACH).toMatchObject({ code: 'HOST_UNREACHABLE', retryable: true });
    expect(SOCKET_ERROR_RULES.ENOTFOUND).toMatchObject({ code: 'HOST_NOT_FOUND', category: 'network' });
    expect(SOCKET_ERROR_RULES.ENOTFOUND?.retryable).toBeUndefined();
    expect(SOCKET_ERROR_RULES.EAI_AGAIN).toMatchObject({ code: 'HOST_NOT_FOUND', retryable: true });
  });
});
