// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about the ${VAR} syntax itself
import { describe, expect, test } from 'vitest';
import { interpolate } from '../src/index.js';
import { caught, FILE, resolverFor } from './helpers/config.js';

describe('interpolate', () => {
  const env = { HOST: 'db.internal', EMPTY: '', USER: 'app', user: 'lower', PORT: '3306' };

  test.each([
    ['${HOST}', 'db.internal'],
    ['mysql://${USER}@${HOST}:${PORT}/x', 'mysql://app@db.internal:3306/x'],
    ['${EMPTY}', ''],
    ['${UNSET:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${HOST:-fallback}', 'db.internal'],
    ['${UNSET-fallback}', 'fallback'],
    ['${EMPTY-fallback}', ''],
    ['${UNSET:-}', ''],
    ['${HOST:?is required}', 'db.internal'],
    ['${HOST?is required}', 'db.internal'],
    ['$${HOST}', '${HOST}'],
    ['cost: $5, $$, $HOST, ${HOST}$', 'cost: $5, $$, $HOST, db.internal$'],
    ['a}b{c', 'a}b{c'],
    ['${UNSET:-${HOST}}', 'db.internal'],
    ['${UNSET:-${ALSO_UNSET:-${EMPTY:-deep}}}', 'deep'],
    ['${UNSET:-$${}', '${'],
    ['${UNSET:-a}b}', 'ab}'],
    ['${UNSET:-a:b-c?d}', 'a:b-c?d'],
    ['${user}/${USER}', 'lower/app'],
  ])('%s → %s', (text, expected) => {
    expect(interpolate(text, env)).toBe(expected);
  });

  test('nests 30 defaults deep', () => {
    const text = `${'${UNSET:-'.repeat(30)}bottom${'}'.repeat(30)}`;
    expect(interpolate(text, {})).toBe('bottom');
    expect(interpolate(text.replace('bottom', '${HOST}'), env)).toBe('db.internal');
  });

  test('a default is evaluated only when used, so a missing variable inside an unused default is fine', () => {
    expect(interpolate('${HOST:-${MISSING}}', env)).toBe('db.internal');
    expect(caught(() => interpolate('${UNSET:-${MISSING}}', env)).code).toBe('MISSING_ENV');
  });

  test('variable names are case-sensitive and never found on Object.prototype', () => {
    expect(caught(() => interpolate('${Host}', env)).message).toBe('environment variable Host is not set');
    expect(caught(() => interpolate('${constructor}', {})).code).toBe('MISSING_ENV');
    expect(caught(() => interpolate('${__proto__}', {})).code).toBe('MISSING_ENV');
  });

  test('MISSING_ENV for an unset ${VAR}, and for ${VAR:?message} unset or empty, with the message given', () => {
    expect(caught(() => interpolate('${UNSET}', env))).toMatchObject({
      code: 'MISSING_ENV',
      category: 'config',
      message: 'environment variable UNSET is not set',
      details: { variable: 'UNSET' },
    });
    expect(caught(() => interpolate('${EMPTY:?must hold the API key}', env)).message).toBe(
      'EMPTY is empty: must hold the API key',
    );
    expect(caught(() => interpolate('${UNSET?}', env)).message).toBe('environment variable UNSET is not set');
    expect(interpolate('${EMPTY?unused}', env)).toBe('');
  });

  test.each([
    ['${', 'unterminated "${" (no closing "}")', 1],
    ['abc ${HOST', 'unterminated "${" (no closing "}")', 5],
    ['${HOST:-never closed', 'unterminated "${" (no closing "}")', 1],
    ['${}', 'empty variable name', 3],
    ['${1ABC}', 'a variable name starts with a letter or "_"', 3],
    ['${A B}', 'unexpected " " after "A"; expected "}", ":-", "-", ":?" or "?"', 4],
    ['${A:x}', 'unexpected ":" after "A"; expected "}", ":-", "-", ":?" or "?"', 4],
    ['${A.B}', 'unexpected "." after "A"; expected "}", ":-", "-", ":?" or "?"', 4],
    ['${A:-${}}', 'empty variable name', 8],
  ])('%s → CONFIG_INVALID: %s', (text, reason, character) => {
    const error = caught(() => interpolate(text, env));
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(`Malformed \${...} at character ${character}: ${reason}`);
  });

  test('nesting deeper than 32 is refused instead of exhausting the stack', () => {
    const text = `${'${A:-'.repeat(40)}x${'}'.repeat(40)}`;
    expect(caught(() => interpolate(text, {})).message).toContain('nested more than 32 deep');
  });
});

describe('interpolation in the connections file', () => {
  test('applies to every string at any depth, and the schema coerces the strings', () => {
    const resolver = resolverFor(
      `connections:
  sql:
    main:
      host: \${HOST}
      port: \${PORT:-3307}
      database: app_\${ENVIRONMENT}
      read_only: \${READ_ONLY:-true}
      ssl:
        ca: \${CERTS}/ca.pem
      tags:
        - \${TEAM}
        - static
`,
      { HOST: 'db', ENVIRONMENT: 'prod', CERTS: '/etc/certs', TEAM: 'data' },
    );
    expect(resolver.resolve('@sql.main').config).toEqual({
      host: 'db',
      port: 3307,
      database: 'app_prod',
      user: 'root',
      read_only: true,
      ssl: { ca: '/etc/certs/ca.pem' },
      tags: ['data', 'static'],
    });
  });

  test('a malformed expression is CONFIG_INVALID at its exact file:line:col, only for the alias that has it', () => {
    const resolver = resolverFor(`connections:
  sql:
    good:
      database: ok
    bad:
      database: "x-\${DB"
`);
    expect(resolver.resolve('@sql.good').config.database).toBe('ok');
    const error = caught(() => resolver.resolve('@sql.bad'));
    expect(error).toMatchObject({
      code: 'CONFIG_INVALID',
      reference: '@sql.bad',
      file: FILE,
      line: 6,
      column: 20,
    });
    expect(error.message).toBe(
      `@sql.bad: Malformed \${...} in field "database" at ${FILE}:6:20: unterminated "\${" (no closing "}")`,
    );
  });

  test('in a block scalar, where columns do not map one to one, the error points at the value', () => {
    const resolver = resolverFor(`connections:
  sql:
    bad:
      database: |
        line one
        \${}
`);
    expect(caught(() => resolver.resolve('@sql.bad'))).toMatchObject({ line: 4, column: 17 });
  });

  test('MISSING_ENV names file, line, field, alias and variable, and fails only the alias that uses it', () => {
    const resolver = resolverFor(`connections:
  sql:
    ok:
      database: app
    broken:
      database: app
      password: \${DB_PASSWORD}
`);
    expect(resolver.resolve('@sql.ok').alias).toBe('ok');
    const error = caught(() => resolver.resolve('@sql.broken'));
    expect(error).toMatchObject({
      code: 'MISSING_ENV',
      category: 'config',
      reference: '@sql.broken',
      file: FILE,
      line: 7,
      column: 17,
      details: { variable: 'DB_PASSWORD', field: '/password', reference: '@sql.broken' },
    });
    expect(error.message).toBe(
      `@sql.broken: environment variable DB_PASSWORD is not set (field "password" at ${FILE}:7:17)`,
    );
    expect(error.hint).toBe(
      'Set DB_PASSWORD in the environment or in a .env file next to the connections file, or give a default: ${DB_PASSWORD:-value}',
    );
  });
});
