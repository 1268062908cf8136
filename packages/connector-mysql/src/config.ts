/** The connection config: its keys and defaults as a user writes them, TLS choice, and its one-line summary. */
import { field } from '@osiris/core';
import { z } from 'zod';

const seconds = () => field.number().pipe(z.number().positive('Expected a number of seconds above 0'));
const port = () => field.integer().pipe(z.number().int().min(1).max(65_535));

/** `Z` (UTC), `local` (this process's zone) or a fixed offset such as `+02:00`. */
const TIMEZONE = /^(Z|local|[+-](0\d|1[0-4]):[0-5]\d)$/;

/** The connection keys of the original Osiris config, as a user writes them. */
const configShape = z.strictObject({
  /** Server host name or address (localhost). */
  host: field.string().optional(),
  /** Server port (3306). */
  port: port().optional(),
  /** Default database; reads and writes name tables in it. */
  database: field.string().optional(),
  /** Login user. */
  username: field.string().optional(),
  /** Alias of `username`, as in MySQL's own tools. */
  user: field.string().optional(),
  /** Login password (secret). */
  password: z.string().optional(),
  /** `mysql://user:password@host:3306/database` instead of the separate fields (secret). */
  url: field.string().optional(),
  /** The original Osiris's name for `url` (secret). */
  dsn: field.string().optional(),
  /** Connection character set. */
  charset: field.string().default('utf8mb4'),
  /** Seconds to wait for a connection to be established. */
  connect_timeout: seconds().default(10),
  /** Seconds a query may run (and a stream may stall) before it is killed. */
  read_timeout: seconds().default(30),
  /** Connections kept open. */
  pool_size: field.integer().pipe(z.number().int().min(1)).default(5),
  /** Extra connections opened under load and closed again when idle. */
  max_overflow: field.integer().pipe(z.number().int().min(0)).default(10),
  /** Seconds after which a connection is replaced by a fresh one. */
  pool_recycle: seconds().default(3600),
  /** Ping a connection that sat idle before handing it out again. */
  pool_pre_ping: field.boolean().default(true),
  /** Seconds to wait for a free connection before failing with POOL_EXHAUSTED. */
  pool_timeout: seconds().default(30),
  /** Refuse to talk without TLS. */
  require_ssl: field.boolean().default(false),
  /** CA certificate: a PEM text or the path of a PEM file; implies TLS. */
  ssl_ca: field.string().optional(),
  /** Check the certificate chain and the host name (default: on whenever TLS is on). */
  ssl_verify_identity: field.boolean().optional(),
  /** Allow only reading statements (validated, and enforced by the server session). */
  read_only: field.boolean().default(false),
  /** Zone of the session (`Z`, `local` or `+02:00`): NOW() and CURRENT_TIMESTAMP in SQL; values do not depend on it. */
  timezone: z.string().regex(TIMEZONE, "Use 'Z', 'local' or an offset such as '+02:00'").default('Z'),
  /** The original Osiris accepted and ignored it; warned about and ignored here too. */
  timeout: field.ignored('the original Osiris ignored it as well; use connect_timeout and read_timeout'),
  /** The original's write timeout: mysql2 has none (read_timeout bounds every query). */
  write_timeout: field.ignored('mysql2 has no write timeout; read_timeout bounds every query'),
});

type ConfigInput = z.output<typeof configShape>;

/** A validated MySQL connection config: the user's keys, with `url` and `user` folded into the fields. */
export interface MysqlConfig
  extends Omit<ConfigInput, 'user' | 'dsn' | 'timeout' | 'write_timeout' | 'host' | 'port' | 'username'> {
  /** Server host name or address. */
  host: string;
  /** Server port. */
  port: number;
  /** Login user. */
  username: string;
}

/** The parts of a config that a `mysql://` URL can carry. */
const URL_PARTS = ['host', 'port', 'username', 'password', 'database'] as const;

/** Validates and coerces one alias's config (the plugin's `configSchema`). */
export const mysqlConfigSchema = configShape.transform((input, context): MysqlConfig => {
  const { user, dsn, timeout: _timeout, write_timeout: _writeTimeout, ...rest } = input;
  for (const [alias, of] of [
    ['user', 'username'],
    ['dsn', 'url'],
  ] as const) {
    if (input[alias] !== undefined && rest[of] !== undefined) {
      context.addIssue({
        code: 'custom',
        path: [alias],
        message: `\`${alias}\` is an alias of \`${of}\`; set only one of them`,
      });
      return z.NEVER;
    }
  }
  const url = rest.url ?? dsn;
  const urlKey = dsn === undefined ? 'url' : 'dsn';
  const fields = { ...rest, username: rest.username ?? user, ...(url !== undefined && { url }) };
  if (fields.url !== undefined) {
    const parsed = parseMysqlUrl(fields.url);
    if (typeof parsed === 'string') {
      context.addIssue({ code: 'custom', path: [urlKey], message: parsed });
      return z.NEVER;
    }
    for (const part of URL_PARTS) {
      if (parsed[part] === undefined) continue;
      // The original accepted both; the same value twice is harmless, two different ones are ambiguous.
      if (fields[part] !== undefined && fields[part] !== parsed[part]) {
        context.addIssue({
          code: 'custom',
          path: [part],
          message: `\`${part}\` is given both in \`${urlKey}\` and as its own key, with different values; keep one`,
        });
        return z.NEVER;
      }
      Object.assign(fields, { [part]: parsed[part] });
    }
  }
  if (fields.username === undefined) {
    context.addIssue({
      code: 'custom',
      path: ['username'],
      message: 'A user is required: set `username` (or `user`), or put it in `url`',
    });
    return z.NEVER;
  }
  return {
    ...fields,
    host: fields.host ?? 'localhost',
    port: fields.port ?? 3306,
    username: fields.username,
  };
});

/** What a `mysql://` URL says; a string when it is not a usable URL (never echoing the URL, it may hold a password). */
function parseMysqlUrl(text: string): Partial<Record<(typeof URL_PARTS)[number], string | number>> | string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return 'url is not a valid URL; expected mysql://user:password@host:3306/database';
  }
  if (url.protocol !== 'mysql:' && url.protocol !== 'mariadb:') {
    return `url must start with mysql:// (got ${url.protocol}//)`;
  }
  if (url.search !== '' || url.hash !== '') {
    return 'url takes no query string; put options such as require_ssl in their own keys';
  }
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (database.includes('/')) return 'url path must be a single database name';
  return {
    host: url.hostname ? url.hostname.replace(/^\[(.*)\]$/, '$1') : undefined,
    port: url.port ? Number(url.port) : undefined,
    username: url.username ? decodeURIComponent(url.username) : undefined,
    password: url.password ? decodeURIComponent(url.password) : undefined,
    database: database || undefined,
  };
}

/** Whether the config asks for TLS. */
export const usesTls = (config: MysqlConfig): boolean => config.require_ssl || config.ssl_ca !== undefined;

/** One line for listings; never a secret. */
export function summarizeConfig(config: MysqlConfig): string {
  const target = `${config.username}@${config.host}:${config.port}${config.database ? `/${config.database}` : ''}`;
  const flags = [usesTls(config) ? 'tls' : undefined, config.read_only ? 'read-only' : undefined].filter(
    Boolean,
  );
  return flags.length > 0 ? `${target} (${flags.join(', ')})` : target;
}
