/** The error codes only the Supabase connector raises (core's catalogue has the shared ones). */
import { type CodesOf, defineErrorCodes } from '@osiris/core';

export const SUPABASE_ERROR_CODES = defineErrorCodes('@osiris/connector-supabase', {
  SCHEMA_NOT_EXPOSED: {
    category: 'config',
    retryable: false,
    meaning: 'the schema exists or not, but the API does not expose it',
  },
  SCHEMA_CACHE_NOT_READY: {
    category: 'network',
    retryable: true,
    meaning: 'the API is starting or lost its database connection',
  },
  SCHEMA_CACHE_STALE: {
    category: 'timeout',
    retryable: false,
    meaning: 'a table just created does not show in the API schema cache yet',
  },
  API_UNAVAILABLE: {
    category: 'network',
    retryable: true,
    meaning: 'the API or a gateway in front of it answered 502/503',
  },
  UPSTREAM_ERROR: {
    category: 'network',
    retryable: true,
    meaning: 'the gateway in front of the API failed (long URLs and big requests cause it)',
  },
  RATE_LIMITED: { category: 'network', retryable: true, meaning: 'the API answered 429: too many requests' },
  CREATE_NEEDS_DB_URL: {
    category: 'config',
    retryable: false,
    meaning: '`createIfMissing` on a connection without `db_url`',
  },
  REPLACE_NEEDS_DB_URL: {
    category: 'config',
    retryable: false,
    meaning: 'mode replace with a key only `db_url` can compare, on a connection without it',
  },
});

declare module '@osiris/core' {
  interface ErrorCodeRegistry extends CodesOf<typeof SUPABASE_ERROR_CODES> {}
}
