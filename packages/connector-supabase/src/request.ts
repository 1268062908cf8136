import type { RestClient } from './client.js';
import {
  type FailureContext,
  httpError,
  networkError,
  type PostgrestFailure,
  throwIfCallerAborted,
  unsentError,
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
    if (thrown === undefined) throw unsentError(result.error.message, context);
    throw networkError(thrown, context);
  }
  throw httpError(result.status, result.error, context);
}

/**
 * POSTs a JSON body the caller built itself (writes: the rows are stringified once, while
 * batching, and supabase-js would stringify them again and derive `columns` in quadratic time).
 */
export async function post(
  client: RestClient,
  path: string,
  init: { headers: Record<string, string>; body: string },
  context: FailureContext,
  signal?: AbortSignal,
): Promise<void> {
  signal?.throwIfAborted();
  let response: Response;
  try {
    response = await client.fetchApi(path, { method: 'POST', ...init, signal });
  } catch (error) {
    throwIfCallerAborted(signal);
    throw networkError(error, context);
  }
  const text = await response.text();
  if (response.ok) return;
  throw httpError(response.status, parseFailure(text), context);
}

/** PostgREST's JSON error body, or the start of whatever a gateway sent instead. */
export function parseFailure(text: string): PostgrestFailure {
  try {
    const parsed = JSON.parse(text) as PostgrestFailure;
    if (parsed !== null && typeof parsed === 'object') return parsed;
  } catch {}
  return { message: text.slice(0, 300) };
}
