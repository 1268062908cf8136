/**
 * The config of one `postgres` alias: the keys a user writes (libpq's names accepted too), validated and
 * folded into one shape, with `url` (a `postgres://` connection URI) taken apart into its fields.
 */
import { field } from '@osiris/core';
import { z } from 'zod';

const seconds = () => field.number().pipe(z.number().positive('Expected a number of seconds above 0'));
const port = () => field.integer().pipe(z.number().int().min(1).max(65_535));

/** How TLS is used, as libpq's sslmode says it (`allow` and `prefer` are refused: they fall back to plain text). */
export const SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;

/** One of `SSL_MODES`. */
export type SslMode = (typeof SSL_MODES)[number];

const configShape = z.strictObject({
  /** `postgres://user:password@host:5432/database?sslmode=require` instead of the separate fields (secret). */
  url: field.string().optional(),
  /** Server host name or address (localhost). */
  host: field.string().optional(),
  /** Server port (5432). */
  port: port().optional(),
  /** Database to connect to. */
  database: field.string().optional(),
  /** libpq's name for `database`. */
  dbname: field.string().optional(),
  /** Login user. */
  user: field.string().optional(),
  /** Alias of `user`, as the other Osiris connectors spell it. */
  username: field.string().optional(),
  /** Login password (secret). */
  password: z.string().optional(),
  /** Schema that table names are looked up in and created in. */
  schema: field.string().default('public'),
  /** TLS: `disable`, `require` (encrypted, unverified), `verify-ca` (trusted chain), `verify-full` (chain and host name). */
  sslmode: z.enum(SSL_MODES, { error: `Use one of ${SSL_MODES.join(', ')}` }).optional(),
  /** CA certificate that verify-ca / verify-full trust: a PEM text or the path of a PEM file. */
  ssl_ca: field.string().optional(),
  /** libpq's name for `ssl_ca`. */
  sslrootcert: field.string().optional(),
  /** Connections kept open at most. */
  pool_size: field.integer().pipe(z.number().int().min(1)).default(5),
  /** Seconds to wait for a connection to be established, and for a free one from the pool (10). */
  connect_timeout: seconds().optional(),
  /** Seconds a statement may run on the server before it cancels it (0 disables the limit). */
  statement_timeout: field.number().pipe(z.number().min(0)).default(30),
  /** Name the server shows for these sessions in pg_stat_activity (osiris). */
  application_name: field.string().optional(),
  /** Allow only reading statements: the server enforces it per session and per transaction, and a check runs first. */
  read_only: field.boolean().default(false),
});

type ConfigInput = z.output<typeof configShape>;

/** A validated PostgreSQL config: aliases folded, `url` taken apart. */
export interface PostgresConfig
  extends Omit<
    ConfigInput,
    | 'dbname'
    | 'username'
    | 'sslrootcert'
    | 'host'
    | 'port'
    | 'sslmode'
    | 'connect_timeout'
    | 'application_name'
  > {
  /** Server host name or address. */
  host: string;
  /** Server port. */
  port: number;
  /** Login user. */
  user: string;
  /** TLS mode. */
  sslmode: SslMode;
  /** Seconds to wait for a connection. */
  connect_timeout: number;
  /** Name the server shows for these sessions. */
  application_name: string;
}

/** Keys that may appear twice under two names; the first is the one kept. */
const ALIASES = [
  ['database', 'dbname'],
  ['user', 'username'],
  ['ssl_ca', 'sslrootcert'],
] as const;

/** URL query parameters libpq users write, and the key each sets. */
const URL_PARAMETERS: Record<string, keyof ConfigInput> = {
  sslmode: 'sslmode',
  sslrootcert: 'ssl_ca',
  connect_timeout: 'connect_timeout',
  application_name: 'application_name',
  dbname: 'database',
  user: 'user',
  host: 'host',
  port: 'port',
  password: 'password',
};

/** The keys a URL can set, checked as strictly as the keys written beside it. */
const urlFields = z
  .strictObject({
    host: configShape.shape.host,
    port: configShape.shape.port,
    database: configShape.shape.database,
    user: configShape.shape.user,
    password: configShape.shape.password,
    sslmode: configShape.shape.sslmode,
    ssl_ca: configShape.shape.ssl_ca,
    connect_timeout: configShape.shape.connect_timeout,
    application_name: configShape.shape.application_name,
  })
  .partial();

/** Validates and coerces one alias's config (the plugin's `configSchema`). */
export const postgresConfigSchema = configShape.transform((input, context): PostgresConfig => {
  const fields: Record<string, unknown> = { ...input };
  for (const [kept, alias] of ALIASES) {
    if (fields[alias] === undefined) continue;
    if (fields[kept] !== undefined) {
      context.addIssue({
        code: 'custom',
        path: [alias],
        message: `\`${alias}\` is another name for \`${kept}\`; set only one of them`,
      });
      return z.NEVER;
    }
    fields[kept] = fields[alias];
  }
  for (const [, alias] of ALIASES) delete fields[alias];
  if (input.url !== undefined) {
    const parsed = parsePostgresUrl(input.url);
    const checked = typeof parsed === 'string' ? undefined : urlFields.safeParse(parsed);
    if (checked === undefined || !checked.success) {
      const problem = typeof parsed === 'string' ? parsed : `url: ${checked?.error.issues[0]?.message}`;
      context.addIssue({ code: 'custom', path: ['url'], message: problem });
      return z.NEVER;
    }
    for (const [key, value] of Object.entries(checked.data)) {
      if (value === undefined) continue;
      const written = ALIASES.find((pair) => pair[0] === key) ?? [key];
      if (written.some((name) => (input as Record<string, unknown>)[name] !== undefined)) {
        context.addIssue({
          code: 'custom',
          path: [key],
          message: `\`${key}\` is given both in \`url\` and as its own key; keep one`,
        });
        return z.NEVER;
      }
      fields[key] = value;
    }
  }
  const config = fields as Partial<PostgresConfig> & ConfigInput;
  if (config.user === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['user'],
      message: 'A user is required: set `user` (or `username`), or put it in `url`',
    });
    return z.NEVER;
  }
  const sslmode = config.sslmode ?? (config.ssl_ca !== undefined ? 'verify-full' : 'disable');
  if (config.ssl_ca !== undefined && (sslmode === 'disable' || sslmode === 'require')) {
    context.addIssue({
      code: 'custom',
      path: ['ssl_ca'],
      message: `ssl_ca is only used to verify the server; with sslmode ${sslmode} it would be ignored (use verify-ca or verify-full)`,
    });
    return z.NEVER;
  }
  return {
    ...config,
    host: config.host ?? 'localhost',
    port: config.port ?? 5432,
    user: config.user,
    sslmode,
    connect_timeout: config.connect_timeout ?? 10,
    application_name: config.application_name ?? 'osiris',
  };
});

/**
 * What a `postgres://` / `postgresql://` URL says, as config keys (strings, coerced by the schema); a string
 * when it is not a usable URL. Messages never echo the URL: it may hold a password.
 */
function parsePostgresUrl(text: string): Record<string, string> | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'url is not a valid URL; expected postgres://user:password@host:5432/database';
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    return `url must start with postgres:// or postgresql:// (got ${url.protocol}//)`;
  }
  if (url.hash !== '') return 'url takes no #fragment';
  const fields: Record<string, string> = {};
  const set = (key: string, value: string) => {
    if (value !== '') fields[key] = value;
  };
  set('host', url.hostname.replace(/^\[(.*)\]$/, '$1'));
  set('port', url.port);
  set('user', decodeURIComponent(url.username));
  set('password', decodeURIComponent(url.password));
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database.includes('/')) return 'url path must be a single database name';
  set('database', database);
  for (const [name, value] of url.searchParams) {
    const key = URL_PARAMETERS[name];
    if (key === undefined) {
      return `url parameter ${JSON.stringify(name)} is not supported (supported: ${Object.keys(URL_PARAMETERS).join(', ')}); other settings have their own keys`;
    }
    if (key in fields) return `url sets ${name} twice`;
    set(key, value);
  }
  return fields;
}

/** One line for listings; never a secret. */
export function summarizeConfig(config: PostgresConfig): string {
  const target = `${config.user}@${config.host}:${config.port}${config.database ? `/${config.database}` : ''}`;
  const flags = [
    config.schema !== 'public' ? `schema ${config.schema}` : undefined,
    config.sslmode !== 'disable' ? `sslmode ${config.sslmode}` : undefined,
    config.read_only ? 'read-only' : undefined,
  ].filter(Boolean);
  return flags.length > 0 ? `${target} (${flags.join(', ')})` : target;
}
