import { ConnectorError } from '@osiris/core';
import type { RestClient } from './client.js';
import {
  type FailureContext,
  httpError,
  networkError,
  type PostgrestFailure,
  throwIfCallerAborted,
} from './errors.js';

/** What a supabase-js query builder resolves to. */
export interface PostgrestResult<T> {
  data: T | null;
  error: PostgrestFailure | null;
  count: number | null;
  status: number;
}

/** The part of a supabase-js query builder this connector drives. */
export interface Builder<T> extends PromiseLike<PostgrestResult<T>> {
  abortSignal(signal: AbortSignal): this;
  retry(enabled: boolean): this;
}

/**
 * Runs one request built with supabase-js and returns its result, or throws a categorised
 * `ConnectorError`. supabase-js's own retries are off: retrying is decided by the caller,
 * which knows whether the request is idempotent.
 */
export async function send<T>(
  client: RestClient,
  builder: Builder<T>,
  context: FailureContext,
  signal?: AbortSignal,
): Promise<PostgrestResult<T>> {
  signal?.throwIfAborted();
  // A signal of this request's own: the key under which the fetch wrapper files a failure.
  const own = signal ? AbortSignal.any([signal]) : new AbortController().signal;
  const result = (await builder.abortSignal(own).retry(false)) as PostgrestResult<T>;
  if (result.error === null) return result;
  if (result.status === 0) {
    throwIfCallerAborted(signal);
    const thrown = client.failures.get(own);
    if (thrown === undefined) throw unsent(result.error.message, context);
    throw networkError(thrown, context);
  }
  throw httpError(result.status, result.error, context);
}

/** supabase-js failed before handing the request to fetch (e.g. a key that cannot be a header): nothing was sent. */
function unsent(message: string | undefined, context: FailureContext) {
  return new ConnectorError(`Supabase ${context.action} could not be sent: ${message}`, {
    code: 'REQUEST_INVALID',
    category: 'config',
    hint: 'Check `key` and `url` in the connection config',
    details: { execution: 'no' },
  });
}
