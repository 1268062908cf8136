import { field } from '@osiris/core';
import { z } from 'zod';
import { databaseUrl } from './direct-database.js';

const positive = () => field.integer().pipe(z.number().int().positive());

/** An API key exactly as Supabase shows it. */
const apiKey = () =>
  field
    .string()
    .regex(
      /^[\x21-\x7e]+$/,
      'Expected the key exactly as shown in Project settings → API (no spaces or control characters)',
    );

/** A Supabase project id: the subdomain of `https://<id>.supabase.co`. */
const projectId = () =>
  field.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'Expected the project id, e.g. abcdefghijklmnop');

/** One `supabase` alias as a user writes it in `osiris_connections.yaml` (the original's keys). */
const configShape = z.strictObject({
  /** Project URL, e.g. `https://xyz.supabase.co` (the API is under `/rest/v1`). */
  url: z
    .url({ protocol: /^https?$/, error: 'Expected an http(s) URL such as https://xyz.supabase.co' })
    .optional(),
  /** The original's alternative to `url`: the project id, meaning `https://<project_id>.supabase.co`. */
  project_id: projectId().optional(),
  /** Service-role (or secret) key; sent as `apikey` and bearer token. */
  key: apiKey().optional(),
  /** The original's name for the service-role key; wins over `anon_key` and `key`, as there. */
  service_role_key: apiKey().optional(),
  /** The original's name for the anon (public) key; wins over `key`, as there. */
  anon_key: apiKey().optional(),
  /** Postgres schema the API exposes and requests go to. */
  schema: field.string().default('public'),
  /** Seconds before one HTTP request is abandoned. */
  timeout: field.number().pipe(z.number().positive()).default(30),
  /** Rows asked for per read request (the server may cap it lower; reads page through all the same). */
  page_size: positive().default(1000),
  /** Most rows per write request. */
  batch_size: positive().default(500),
  /** Most bytes of JSON per write request. */
  max_batch_bytes: positive().default(1024 * 1024),
  /** Write requests in flight at once. */
  concurrency: positive().default(2),
  /** Retries of a request that failed transiently (429, 503, 504, 520, network). */
  retries: field.integer().pipe(z.number().int().min(0)).default(3),
  /**
   * Direct Postgres connection string (`postgres://…` or libpq `key=value` words, as Project settings → Database
   * shows it): DDL, full introspection, composite-key replace, and COPY for large writes (secret).
   */
  db_url: field.string().optional(),
  /** Rows from which a write with `db_url` goes through COPY (connector-postgres) instead of the API. */
  copy_threshold: positive().default(5000),
  /** The original's name for `db_url`. */
  pg_dsn: field.string().optional(),
  /** Database password for a `db_url` / `pg_dsn` written without one (the original's `password`). */
  password: z.string().optional(),
  /** Accepted for compatibility with the original config and ignored (with a warning). */
  auto_refresh_token: field.ignored(
    'there is no session to refresh: requests carry the key',
    field.boolean(),
  ),
});

type ConfigInput = z.output<typeof configShape>;

/** A validated `supabase` config: the original's alternative keys folded into `url`, `key` and `db_url`. */
export interface SupabaseConfig
  extends Omit<
    ConfigInput,
    | 'url'
    | 'key'
    | 'project_id'
    | 'service_role_key'
    | 'anon_key'
    | 'pg_dsn'
    | 'password'
    | 'auto_refresh_token'
  > {
  /** Project URL. */
  url: string;
  /** The API key requests are sent with. */
  key: string;
}

/** Validates and coerces one alias's config (the plugin's `configSchema`). */
export const configSchema = configShape.transform((input, context): SupabaseConfig => {
  const {
    url,
    project_id,
    key,
    service_role_key,
    anon_key,
    db_url,
    pg_dsn,
    password,
    auto_refresh_token: _refresh,
    ...rest
  } = input;
  const fail = (path: string, message: string) => {
    context.addIssue({ code: 'custom', path: [path], message });
    return z.NEVER;
  };
  if (url !== undefined && project_id !== undefined) {
    return fail('project_id', '`project_id` is an alternative to `url`; set only one of them');
  }
  const projectUrl = url ?? (project_id === undefined ? undefined : `https://${project_id}.supabase.co`);
  if (projectUrl === undefined) return fail('url', 'field "url" (or "project_id") is required');
  const apiKeyValue = service_role_key ?? anon_key ?? key;
  if (apiKeyValue === undefined) {
    return fail('key', 'field "key" (or "service_role_key" / "anon_key") is required');
  }
  if (db_url !== undefined && pg_dsn !== undefined) {
    return fail('pg_dsn', '`pg_dsn` is the original name of `db_url`; set only one of them');
  }
  const dbUrl = withPassword(db_url ?? pg_dsn, password);
  if (dbUrl === false) {
    return fail('password', '`password` differs from the password in the database URL; keep one');
  }
  if (dbUrl !== undefined) {
    try {
      databaseUrl(dbUrl);
    } catch (error) {
      return fail(pg_dsn === undefined ? 'db_url' : 'pg_dsn', (error as Error).message);
    }
  }
  return { ...rest, url: projectUrl, key: apiKeyValue, ...(dbUrl !== undefined && { db_url: dbUrl }) };
});

/** The database URL with `password` put in, when it has none; false when it has another one. */
function withPassword(dbUrl: string | undefined, password: string | undefined): string | undefined | false {
  if (dbUrl === undefined || password === undefined) return dbUrl;
  let parsed: URL;
  try {
    parsed = new URL(dbUrl);
  } catch {
    // Not a URL (libpq key=value words): the password goes in as its own word, quoted as libpq reads it.
    return /(^|\s)password\s*=/.test(dbUrl)
      ? false
      : `${dbUrl} password='${password.replace(/[\\']/g, '\\$&')}'`;
  }
  if (parsed.password !== '') return decodeURIComponent(parsed.password) === password && dbUrl;
  parsed.password = encodeURIComponent(password);
  return parsed.href;
}
