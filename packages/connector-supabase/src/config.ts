import { field } from '@osiris/core';
import { z } from 'zod';

const positive = () => field.integer().pipe(z.number().int().positive());

/** One `supabase` alias as a user writes it in `osiris_connections.yaml` (the original's keys). */
export const configSchema = z
  .object({
    /** Project URL, e.g. `https://xyz.supabase.co` (the API is under `/rest/v1`). */
    url: z.url({ protocol: /^https?$/, error: 'Expected an http(s) URL such as https://xyz.supabase.co' }),
    /** Service-role (or secret) key; sent as `apikey` and bearer token. */
    key: field
      .string()
      .regex(
        /^[\x21-\x7e]+$/,
        'Expected the key exactly as shown in Project settings → API (no spaces or control characters)',
      ),
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
    /** Direct Postgres connection string, used only for DDL, full introspection and composite-key replace. */
    db_url: field.string().optional(),
    /** Accepted for compatibility with the original config and ignored: there is no session server-side. */
    auto_refresh_token: field.boolean().optional(),
  })
  .strict();

/** A validated `supabase` config. */
export type SupabaseConfig = z.output<typeof configSchema>;
