import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import {
  API_VERSION,
  ConnectorError,
  createRegistry,
  createResolver,
  defineConnector,
  type Env,
  field,
  parseConnections,
} from '../../src/index.js';

/** A plugin for `family` that only validates configs (the config tests never connect). */
export function testPlugin(family: string, configSchema: z.ZodType, secrets: readonly string[] = []) {
  return defineConnector({
    family,
    apiVersion: API_VERSION,
    configSchema,
    secrets,
    capabilities: [],
    connect: async () => {
      throw new Error('the config tests never connect');
    },
  });
}

/** A database-shaped family: strict schema, declared password, nested ssl block. */
export const sqlPlugin = testPlugin(
  'sql',
  z.strictObject({
    host: field.string().default('localhost'),
    port: field.integer().default(3306),
    database: field.string(),
    user: field.string().default('root'),
    password: z.string().optional(),
    read_only: field.boolean().default(false),
    ssl: z.strictObject({ ca: z.string().optional(), cert_key: z.string().optional() }).optional(),
    tags: z.array(z.string()).optional(),
  }),
  ['/password', '/ssl/cert_key'],
);

/** An HTTP-shaped family with a plain (non-strict) z.object, which the resolver still makes reject unknown keys. */
export const apiPlugin = testPlugin(
  'api',
  z.object({ url: z.url(), service_role_key: z.string(), timeout: field.integer().default(30) }),
  ['/service_role_key'],
);

export const registry = createRegistry([sqlPlugin, apiPlugin]);

/** The path the in-memory test files pretend to live at. */
export const FILE = '/etc/osiris/osiris_connections.yaml';

/** A resolver over `yaml` (parsed as if read from FILE) with `env`. */
export function resolverFor(yaml: string, env: Env = {}) {
  return createResolver({ registry, connections: parseConnections(yaml, FILE), env });
}

/** The ConnectorError `fn` throws (fails the test when it returns or throws anything else). */
export function caught(fn: () => unknown): ConnectorError {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError, but nothing was thrown');
}

/** The ConnectorError a promise rejects with. */
export async function rejected(promise: Promise<unknown>): Promise<ConnectorError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
  throw new Error('expected a ConnectorError, but the promise resolved');
}

/** A temporary directory holding `files` (relative path → content); `remove()` deletes it. */
export async function tempTree(files: Record<string, string>) {
  const root = await mkdtemp(join(tmpdir(), 'osiris-config-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), content);
  }
  return {
    root,
    path: (relative: string) => join(root, relative),
    remove: () => rm(root, { recursive: true, force: true }),
  };
}
