// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about the ${VAR} syntax itself
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { afterAll, describe, expect, test } from 'vitest';
import { z } from 'zod';
import {
  type ConnectorError,
  createRegistry,
  createResolver,
  type Env,
  loadConnections,
  parseConnections,
} from '../src/index.js';
import { apiPlugin, caught, FILE, rejected, sqlPlugin, tempTree, testPlugin } from './helpers/config.js';

/**
 * Every error path of the loader and the resolver, each with its own never-registered canary secret
 * (in the environment and written in the file), so each path proves on its own that no secret reaches
 * a message, hint, stack, cause, details, JSON or inspect output.
 */
let count = 0;
function newCanary() {
  count += 1;
  return `canary${process.pid}x${count}x${randomBytes(6).toString('hex')}`;
}

/** A family whose schema repeats the declared secret `auth` in an issue, or throws with it. */
const leaky = testPlugin(
  'leaky',
  z
    .strictObject({ mode: z.string().optional(), auth: z.string(), note: z.string().optional() })
    .superRefine((config, context) => {
      if (config.mode === 'refuse')
        context.addIssue({ code: 'custom', path: ['auth'], message: `auth ${config.auth} refused` });
    })
    .transform((config) => {
      if (config.mode === 'explode') throw new Error(`cannot use ${config.auth}`);
      return config;
    }),
  ['/auth'],
);
const registry = createRegistry([sqlPlugin, apiPlugin, leaky]);

function resolverWith(yaml: string, env: Env) {
  return createResolver({ registry, connections: parseConnections(yaml, FILE), env });
}

/** Every piece of text an error can be shown through. */
function outputsOf(error: ConnectorError): string[] {
  const outputs = [
    error.message,
    error.stack ?? '',
    error.hint ?? '',
    JSON.stringify(error),
    JSON.stringify(error.details ?? {}),
    inspect(error, { depth: 20 }),
    inspect(error, { depth: 20, showHidden: true }),
    String(error),
  ];
  for (let cause = error.cause; cause !== undefined; cause = (cause as { cause?: unknown }).cause) {
    outputs.push(
      inspect(cause, { depth: 20 }),
      String((cause as Error).stack),
      String((cause as Error).message),
    );
  }
  return outputs;
}

function expectNoCanary(canary: string, outputs: string[]) {
  for (const output of outputs) {
    expect(output).not.toContain(canary);
    expect(output).not.toContain(encodeURIComponent(canary));
  }
}

/** Each case gets a fresh canary and returns the error its path throws. */
const resolverCases: Record<string, (canary: string) => ConnectorError> = {
  INVALID_REFERENCE: (c) =>
    caught(() =>
      resolverWith(`connections:\n  sql:\n    a: { database: x, password: ${c} }\n`, { P: c }).resolve(
        `sql.a`,
      ),
    ),
  UNKNOWN_FAMILY: (c) =>
    caught(() =>
      resolverWith(`connections:\n  sql:\n    a: { password: ${c} }\n`, { P: c }).resolve('@sq.a'),
    ),
  UNKNOWN_ALIAS: (c) =>
    caught(() => resolverWith(`connections:\n  sql:\n    a: { password: ${c} }\n`, {}).resolve('@sql.b')),
  NO_DEFAULT_ALIAS: (c) =>
    caught(() =>
      resolverWith(`connections:\n  sql:\n    a: { password: ${c} }\n    b: { password: "\${P}" }\n`, {
        P: c,
      }).resolve('@sql'),
    ),
  'UNKNOWN_FAMILY (registry)': (c) =>
    caught(() =>
      resolverWith(
        `connections:\n  redis:\n    a: { password: ${c}, url: "redis://u:${c}@h" }\n`,
        {},
      ).resolve('@redis'),
    ),
  MISSING_ENV: (c) =>
    caught(() =>
      resolverWith(
        'connections:\n  sql:\n    a:\n      password: ${P}\n      host: ${NOPE}\n      database: ${D:?needs D}\n',
        { P: c },
      ).resolve('@sql.a'),
    ),
  'MISSING_ENV (required, with message)': (c) =>
    caught(() =>
      resolverWith('connections:\n  sql:\n    a:\n      password: ${P}\n      database: ${D:?set D}\n', {
        P: c,
        D: '',
      }).resolve('@sql.a'),
    ),
  'CONFIG_INVALID (malformed ${...} in a secret)': (c) =>
    caught(() =>
      resolverWith(`connections:\n  leaky:\n    a:\n      auth: "${c}\${"\n`, {}).resolve('@leaky.a'),
    ),
  'CONFIG_INVALID (malformed ${...} next to an env secret)': (c) =>
    caught(() =>
      resolverWith('connections:\n  leaky:\n    a:\n      auth: ${A}\n      note: ${oops\n', {
        A: c,
      }).resolve('@leaky.a'),
    ),
  'CONFIG_INVALID (schema issue quoting the secret)': (c) =>
    caught(() =>
      resolverWith('connections:\n  leaky:\n    a: { mode: refuse, auth: "${A}" }\n', { A: c }).resolve(
        '@leaky.a',
      ),
    ),
  'CONFIG_INVALID (schema throwing with the secret)': (c) =>
    caught(() =>
      resolverWith('connections:\n  leaky:\n    a: { mode: explode, auth: "${A}" }\n', { A: c }).resolve(
        '@leaky.a',
      ),
    ),
  'CONFIG_INVALID (unknown key)': (c) =>
    caught(() =>
      resolverWith(
        `connections:\n  sql:\n    a: { database: x, password: "\${P}", url: "mysql://u:${c}@h", hots: h }\n`,
        { P: c },
      ).resolve('@sql.a'),
    ),
  'CONFIG_INVALID (wrong type, secret in a URL from env)': (c) =>
    caught(() =>
      resolverWith(
        'connections:\n  api:\n    a: { url: "https://u:${P}@h", service_role_key: "${P}", timeout: soon }\n',
        { P: c },
      ).resolve('@api.a'),
    ),
};

const loaderCases: Record<string, (canary: string) => ConnectorError | Promise<ConnectorError>> = {
  'CONFIG_PARSE (duplicate key)': (c) =>
    caught(() =>
      parseConnections(`connections:\n  sql:\n    a:\n      password: ${c}\n      password: ${c}\n`, FILE),
    ),
  'CONFIG_PARSE (unterminated quote)': (c) =>
    caught(() => parseConnections(`connections:\n  sql:\n    a:\n      password: "${c}\n`, FILE)),
  'CONFIG_PARSE (tab indentation)': (c) =>
    caught(() => parseConnections(`connections:\n  sql:\n    a:\n\tpassword: ${c}\n`, FILE)),
  'CONFIG_PARSE (flow mapping)': (c) =>
    caught(() => parseConnections(`connections:\n  sql:\n    a: { token: ${c}, host: [ }\n`, FILE)),
  'CONFIG_PARSE (URL password)': (c) =>
    caught(() =>
      parseConnections(`connections:\n  sql:\n    a:\n      url: mysql://u:${c}@h/x\n      url: x\n`, FILE),
    ),
  'CONFIG_INVALID (bad default flag)': (c) =>
    caught(() =>
      parseConnections(`connections:\n  sql:\n    a:\n      password: ${c}\n      default: maybe\n`, FILE),
    ),
  'CONFIG_INVALID (two defaults)': (c) =>
    caught(() =>
      parseConnections(
        `connections:\n  sql:\n    a: { default: true, password: ${c} }\n    b: { default: true, password: ${c} }\n`,
        FILE,
      ),
    ),
  'CONFIG_INVALID (bad alias name)': (c) =>
    caught(() => parseConnections(`connections:\n  sql:\n    a.b: { api_key: ${c} }\n`, FILE)),
  CONFIG_NOT_FOUND: async (c) => {
    const tree = await tempTree({ '.env': `DB_PASSWORD=${c}\n` });
    try {
      return await rejected(loadConnections({ cwd: tree.root, env: { DB_PASSWORD: c } }));
    } finally {
      await tree.remove();
    }
  },
  'CONFIG_PARSE (from a file on disk)': async (c) => {
    const tree = await tempTree({
      'osiris_connections.yaml': `connections:\n  sql:\n    a:\n      password: '${c}\n`,
    });
    try {
      return await rejected(loadConnections({ cwd: tree.root, env: {} }));
    } finally {
      await tree.remove();
    }
  },
};

describe('canary: no secret reaches any output of any error path', () => {
  const seen = new Set<string>();
  afterAll(() => {
    // Every code the brief names was driven at least once.
    expect([...seen].sort()).toEqual([
      'CONFIG_INVALID',
      'CONFIG_NOT_FOUND',
      'CONFIG_PARSE',
      'INVALID_REFERENCE',
      'MISSING_ENV',
      'NO_DEFAULT_ALIAS',
      'UNKNOWN_ALIAS',
      'UNKNOWN_FAMILY',
    ]);
  });

  test.each(Object.entries({ ...resolverCases, ...loaderCases }))('%s', async (name, run) => {
    const canary = newCanary();
    const error = await run(canary);
    seen.add(error.code);
    expect(name.split(' ')[0]).toBe(error.code);
    expectNoCanary(canary, outputsOf(error));
  });

  test('successful paths: resolve, raw and explain print no secret (env or literal)', () => {
    const envCanary = newCanary();
    const fileCanary = newCanary();
    const resolver = resolverWith(
      `connections:\n  sql:\n    a:\n      database: x\n      password: \${P}\n      ssl: { cert_key: ${fileCanary} }\n      tags: ["mysql://u:${fileCanary}@h"]\n  leaky:\n    b: { auth: "\${P}" }\n`,
      { P: envCanary },
    );
    const resolved = resolver.resolve('@sql.a');
    expect(resolved.config.password).toBe(envCanary);
    const outputs = [
      JSON.stringify(resolved),
      inspect(resolved, { depth: 20 }),
      JSON.stringify(resolver.raw('@sql.a')),
      inspect(resolver.raw('@sql.a'), { depth: 20 }),
      JSON.stringify(resolver.explain('@sql.a')),
      JSON.stringify(resolver.explain('@leaky.b')),
      inspect(resolver.resolve('@leaky.b'), { depth: 20 }),
    ];
    expectNoCanary(envCanary, outputs);
    expectNoCanary(fileCanary, outputs);
  });
});
