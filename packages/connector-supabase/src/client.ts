import { createClient, type SupabaseClient } from '@supabase/supabase-js';

/**
 * supabase-js builds a realtime client in its constructor and, on Node 20, throws for lack of a
 * global WebSocket. This connector never opens a channel; a transport that refuses to be
 * constructed makes any accidental use fail loudly instead of connecting.
 */
class NoRealtime {
  constructor() {
    throw new Error('@osiris/connector-supabase does not use Supabase Realtime');
  }
}

/** One HTTP failure as fetch threw it, looked up by the request's own AbortSignal. */
export type FetchFailures = WeakMap<AbortSignal, unknown>;

/** What the connector holds per connection: the client and how to tell why a request failed. */
export interface RestClient {
  /** supabase-js client: no session, no token refresh, no realtime. */
  // biome-ignore lint/suspicious/noExplicitAny: tables are named at run time; there is no generated Database type.
  supabase: SupabaseClient<any, string>;
  /** The error fetch threw for the request made with this signal (builders only report status 0). */
  failures: FetchFailures;
  /** A plain request to `<url>/rest/v1<path>` with the key and the timeout, for what supabase-js has no call for. */
  fetchApi(path: string, init: RequestInit): Promise<Response>;
}

/**
 * Creates the connection's one client. `accessToken` hands supabase-js the key directly, so no
 * auth client, session storage or refresh timer is created; every request gets the timeout.
 */
export function createRestClient(options: {
  url: string;
  key: string;
  schema: string;
  timeoutMs: number;
}): RestClient {
  const failures: FetchFailures = new WeakMap();
  const timedFetch: typeof fetch = async (input, init) => {
    const timeout = AbortSignal.timeout(options.timeoutMs);
    const own = init?.signal ?? undefined;
    try {
      return await fetch(input, { ...init, signal: own ? AbortSignal.any([own, timeout]) : timeout });
    } catch (error) {
      if (own) failures.set(own, error);
      throw error;
    }
  };
  const supabase = createClient(options.url, options.key, {
    accessToken: async () => options.key,
    db: { schema: options.schema },
    global: { fetch: timedFetch },
    realtime: { transport: NoRealtime as never },
  });
  const base = `${options.url.replace(/\/+$/, '')}/rest/v1`;
  const fetchApi = (path: string, init: RequestInit) =>
    timedFetch(`${base}${path}`, {
      ...init,
      headers: {
        ...(init.headers as Record<string, string>),
        apikey: options.key,
        Authorization: `Bearer ${options.key}`,
      },
    });
  return { supabase, failures, fetchApi };
}
