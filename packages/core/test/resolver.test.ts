// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about the ${VAR} syntax itself
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { z } from 'zod';
import { createRegistry, createResolver, MASK, parseConnections, redact } from '../src/index.js';
import { caught, FILE, registry, resolverFor, testPlugin } from './helpers/config.js';

const yaml = `connections:
  sql:
    main:
      default: true
      host: \${DB_HOST:-localhost}
      port: "\${DB_PORT}"
      database: sales_\${ENVIRONMENT}
      password: \${DB_PASSWORD}
      read_only: yes
      ssl:
        cert_key: \${CERT_KEY-}
  api:
    prod:
      url: https://api.example.com
      service_role_key: \${SERVICE_KEY}
`;
const env = { DB_PORT: '3307', ENVIRONMENT: 'prod', DB_PASSWORD: 'resolver-pw-1', SERVICE_KEY: 'svc-key-1' };

describe('resolve', () => {
  test('interpolates, removes the default flag, and validates and coerces with the family schema', () => {
    const resolved = resolverFor(yaml, env).resolve('@sql');
    expect(resolved.reference).toBe('@sql.main');
    expect({ ...resolved.config }).toEqual({
      host: 'localhost',
      port: 3307,
      database: 'sales_prod',
      user: 'root',
      password: 'resolver-pw-1',
      read_only: true,
      ssl: { cert_key: '' },
    });
  });

  test('the resolved config prints masked under JSON.stringify and util.inspect, but holds the real values', () => {
    const resolved = resolverFor(yaml, env).resolve('@sql.main');
    expect(resolved.config.password).toBe('resolver-pw-1');
    const printed = [
      JSON.stringify(resolved),
      inspect(resolved, { depth: 10 }),
      JSON.stringify(resolved.config),
    ];
    for (const output of printed) {
      expect(output).not.toContain('resolver-pw-1');
      expect(output).toContain(MASK);
    }
    expect(JSON.parse(JSON.stringify(resolved.config)).port).toBe(3307);
  });

  test('every secret value it produced is registered for redaction', () => {
    const resolver = resolverFor(
      `connections:
  api:
    a:
      url: "https://user:\${URL_PW}@api.example.com"
      service_role_key: key-\${KEY_PART}
`,
      { URL_PW: 'url-pw-in-plain-field', KEY_PART: 'part-of-the-key' },
    );
    resolver.resolve('@api.a');
    expect(redact('x url-pw-in-plain-field y')).toBe(`x ${MASK} y`);
    expect(redact('part-of-the-key')).toBe(MASK);
    expect(redact('key-part-of-the-key')).toBe(MASK);
  });

  test('a secret made by the schema itself (a transform) is registered too', () => {
    const plugin = testPlugin(
      'built',
      z
        .strictObject({ user: z.string(), password: z.string() })
        .transform((c) => ({ dsn: `db://${c.user}:${c.password}@h/x`, password: c.password })),
    );
    const resolver = createResolver({
      registry: createRegistry([plugin]),
      connections: parseConnections('connections:\n  built:\n    a: { user: u, password: "${P}" }\n', FILE),
      env: { P: 'transformed-pw-1' },
    });
    expect(JSON.stringify(resolver.resolve('@built').config)).toBe(
      `{"dsn":"db://u:${MASK}@h/x","password":"${MASK}"}`,
    );
    expect(redact('db://u:transformed-pw-1@h/x')).toBe(MASK);
  });

  test('is lazy: a broken alias does not stop the others', () => {
    const resolver = resolverFor(yaml, { SERVICE_KEY: 'k' });
    expect(resolver.resolve('@api.prod').config.url).toBe('https://api.example.com');
    expect(caught(() => resolver.resolve('@sql')).code).toBe('MISSING_ENV');
  });

  test('a family the registry does not know fails with the registry error, carrying the reference', () => {
    const error = caught(() => resolverFor('connections:\n  redis:\n    cache: {}\n').resolve('@redis'));
    expect(error).toMatchObject({ code: 'UNKNOWN_FAMILY', reference: '@redis.cache' });
  });

  test('the env option wins over the file environment; without either, process.env is used', () => {
    const connections = {
      ...parseConnections('connections:\n  sql:\n    a: { database: "${OSIRIS_TEST_DB}" }\n', FILE),
      env: { OSIRIS_TEST_DB: 'from-file-env' },
    };
    const database = (options: { env?: Record<string, string> }) =>
      createResolver({ registry, connections, ...options }).resolve('@sql.a').config.database;
    expect(database({})).toBe('from-file-env');
    expect(database({ env: { OSIRIS_TEST_DB: 'given' } })).toBe('given');
    process.env.OSIRIS_TEST_DB = 'from-process';
    try {
      const parsedOnly = parseConnections(
        'connections:\n  sql:\n    a: { database: "${OSIRIS_TEST_DB}" }\n',
        FILE,
      );
      expect(createResolver({ registry, connections: parsedOnly }).resolve('@sql.a').config.database).toBe(
        'from-process',
      );
    } finally {
      delete process.env.OSIRIS_TEST_DB;
    }
  });
});

describe('schema problems: CONFIG_INVALID naming field, alias, file and line', () => {
  test('a value the schema refuses', () => {
    const error = caught(() =>
      resolverFor('connections:\n  sql:\n    a:\n      database: x\n      port: "33o6"\n').resolve('@sql.a'),
    );
    expect(error).toMatchObject({
      code: 'CONFIG_INVALID',
      category: 'config',
      reference: '@sql.a',
      file: FILE,
      line: 5,
      column: 13,
    });
    expect(error.message).toBe(`@sql.a: field "port": Expected an integer (${FILE}:5:13)`);
    expect(error.hint).toBe("Fix the field as the sql connector's schema describes it");
  });

  test('a required field that is missing points at the alias', () => {
    const error = caught(() =>
      resolverFor('connections:\n  sql:\n    a:\n      host: h\n').resolve('@sql.a'),
    );
    expect(error.message).toBe(`@sql.a: field "database" is required (${FILE}:3:5)`);
  });

  test('an unknown key, with "did you mean" and the known fields', () => {
    const error = caught(() =>
      resolverFor('connections:\n  sql:\n    a:\n      database: x\n      hots: h\n').resolve('@sql.a'),
    );
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', line: 5, column: 7 });
    expect(error.message).toBe(`@sql.a: unknown field "hots" (${FILE}:5:7)`);
    expect(error.hint).toBe(
      'Did you mean "host"? Known fields: host, port, database, user, password, read_only, ssl, tags; or set "validation: warn" at the top of the file to ignore unknown fields',
    );
  });

  test('an unknown nested key, and several problems at once (unknown fields first, then in file order)', () => {
    const error = caught(() =>
      resolverFor('connections:\n  sql:\n    a:\n      port: x\n      ssl:\n        cx: a\n').resolve(
        '@sql.a',
      ),
    );
    expect(error.message).toBe(`@sql.a: unknown field "ssl.cx" (${FILE}:6:9); and 2 more`);
    expect(error.details?.problems).toEqual([
      { field: '/ssl/cx', message: 'unknown field "ssl.cx"', unknown: true, location: `${FILE}:6:9` },
      {
        field: '/database',
        message: 'field "database" is required',
        unknown: false,
        location: `${FILE}:3:5`,
      },
      {
        field: '/port',
        message: 'field "port": Expected an integer',
        unknown: false,
        location: `${FILE}:4:13`,
      },
    ]);
  });

  test('the known-fields hint looks through a transformed schema (aliases, defaults)', () => {
    const aliased = testPlugin(
      'aliased',
      z
        .strictObject({ username: z.string().optional(), user: z.string().optional() })
        .transform(({ user, ...rest }) => ({ username: rest.username ?? user })),
    );
    const resolver = createResolver({
      registry: createRegistry([aliased]),
      connections: parseConnections('connections:\n  aliased:\n    x: { usr: app }\n', FILE),
      env: {},
    });
    const error = caught(() => resolver.resolve('@aliased'));
    expect(error.hint).toBe(
      'Did you mean "user"? Known fields: username, user; or set "validation: warn" at the top of the file to ignore unknown fields',
    );
  });

  test('a plain z.object schema still rejects unknown keys; a z.looseObject keeps them', () => {
    const error = caught(() =>
      resolverFor(
        'connections:\n  api:\n    a: { url: "https://x.example", service_role_key: k, timout: 5 }\n',
      ).resolve('@api.a'),
    );
    expect(error.message).toBe(`@api.a: unknown field "timout" (${FILE}:3:57)`);
    expect(error.hint).toBe(
      'Did you mean "timeout"? Known fields: url, service_role_key, timeout; or set "validation: warn" at the top of the file to ignore unknown fields',
    );
    const loose = testPlugin('loose', z.looseObject({ a: z.string() }));
    const resolver = createResolver({
      registry: createRegistry([loose]),
      connections: parseConnections('connections:\n  loose:\n    x: { a: "1", extra: "2" }\n', FILE),
      env: {},
    });
    expect({ ...resolver.resolve('@loose').config }).toEqual({ a: '1', extra: '2' });
  });

  test('a schema that throws is CONFIG_INVALID, not a crash', () => {
    const throwing = testPlugin(
      'throwing',
      z.strictObject({ a: z.string() }).transform(() => {
        throw new TypeError('transform exploded');
      }),
    );
    const resolver = createResolver({
      registry: createRegistry([throwing]),
      connections: parseConnections('connections:\n  throwing:\n    x: { a: "1" }\n', FILE),
    });
    const error = caught(() => resolver.resolve('@throwing'));
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', reference: '@throwing.x', line: 3 });
    expect(error.message).toBe("@throwing.x: the throwing connector's schema failed: transform exploded");
  });
});

describe('raw', () => {
  test('shows the alias as written: placeholders kept, literal secrets masked and warned about, variables listed', () => {
    const resolver = resolverFor(
      `connections:
  sql:
    main:
      host: \${DB_HOST:-localhost}
      database: \${DB_NAME}
      password: hunter2-literal
      user: \${DB_USER:-\${FALLBACK_USER}}
      ssl:
        ca: "mysql://u:inline-pw@h \${BAD"
`,
      { DB_NAME: 'sales', DB_HOST: '' },
    );
    const raw = resolver.raw('@sql');
    expect(raw).toMatchObject({ reference: '@sql.main', family: 'sql', alias: 'main', isDefault: false });
    expect(raw.config).toEqual({
      host: '${DB_HOST:-localhost}',
      database: '${DB_NAME}',
      password: MASK,
      user: '${DB_USER:-${FALLBACK_USER}}',
      ssl: { ca: `mysql://u:${MASK}@h \${BAD` },
    });
    expect(raw.variables).toEqual([
      {
        name: 'DB_HOST',
        field: '/host',
        location: { file: FILE, line: 4, column: 13 },
        set: true,
        source: 'environment',
      },
      {
        name: 'DB_NAME',
        field: '/database',
        location: { file: FILE, line: 5, column: 17 },
        set: true,
        source: 'environment',
      },
      { name: 'DB_USER', field: '/user', location: { file: FILE, line: 7, column: 13 }, set: false },
      { name: 'FALLBACK_USER', field: '/user', location: { file: FILE, line: 7, column: 24 }, set: false },
    ]);
    expect(raw.warnings.map((warning) => [warning.code, warning.field, warning.location.line])).toEqual([
      ['LITERAL_SECRET', '/password', 6],
      ['CONFIG_INVALID', '/ssl/ca', 9],
      ['LITERAL_SECRET', '/ssl/ca', 9],
    ]);
    expect(raw.warnings[0]!.message).toBe(
      `@sql.main: field "password" at ${FILE}:6:17 holds a secret written in the file; put it in an environment variable and write \${VAR}`,
    );
    expect(JSON.stringify(raw)).not.toMatch(/hunter2-literal|inline-pw/);
  });

  test('a default that holds a literal secret is masked and warned about; a placeholder is not', () => {
    const raw = resolverFor(
      'connections:\n  api:\n    a:\n      service_role_key: ${KEY:-eyJ-literal}\n      url: x\n',
    ).raw('@api.a');
    expect(raw.config.service_role_key).toBe(`\${KEY:-${MASK}}`);
    expect(raw.warnings.map((warning) => warning.code)).toEqual(['LITERAL_SECRET']);
    expect(
      resolverFor('connections:\n  api:\n    a: { service_role_key: "${KEY}" }\n').raw('@api.a').warnings,
    ).toEqual([]);
  });
});

describe('explain', () => {
  test('says where each value came from: file, env, default, interpolated or schema', () => {
    const explained = resolverFor(yaml, env).explain('@sql');
    const byField = Object.fromEntries(explained.fields.map((origin) => [origin.field, origin]));
    expect(Object.keys(byField)).toEqual([
      '/host',
      '/port',
      '/database',
      '/user',
      '/password',
      '/read_only',
      '/ssl/cert_key',
    ]);
    expect(byField['/host']).toMatchObject({
      value: 'localhost',
      from: 'default',
      location: { line: 5, column: 13 },
    });
    expect(byField['/host']!.variables).toEqual([
      { name: 'DB_HOST', field: '/host', location: { file: FILE, line: 5, column: 13 }, set: false },
    ]);
    expect(byField['/port']).toMatchObject({ value: 3307, from: 'env' });
    expect(byField['/database']).toMatchObject({ value: 'sales_prod', from: 'interpolated' });
    expect(byField['/user']).toEqual({ field: '/user', value: 'root', from: 'schema', variables: [] });
    expect(byField['/password']).toMatchObject({ value: MASK, from: 'env' });
    expect(byField['/read_only']).toMatchObject({ value: true, from: 'file', variables: [] });
    expect(JSON.stringify(explained)).not.toContain('resolver-pw-1');
  });
});
