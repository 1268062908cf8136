// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about the ${VAR} syntax itself
import { describe, expect, test } from 'vitest';
import { MASK, parseConnections } from '../src/index.js';
import { caught, FILE, resolverFor } from './helpers/config.js';

const parse = (yaml: string) => parseConnections(yaml, FILE);

describe('parseConnections', () => {
  test('reads families and aliases in file order, with the position of every alias and field', () => {
    const file = parse(`# comment
connections:
  sql:
    main:
      host: db
      ssl:
        ca: ca.pem
      tags:
        - a
    replica: { host: r, database: x }
  api:
    prod:
      url: https://x
`);
    expect([...file.families.keys()]).toEqual(['sql', 'api']);
    const main = file.families.get('sql')!.aliases.get('main')!;
    expect(main).toMatchObject({
      reference: '@sql.main',
      family: 'sql',
      alias: 'main',
      isDefault: false,
      location: { file: FILE, line: 4, column: 5 },
      config: { host: 'db', ssl: { ca: 'ca.pem' }, tags: ['a'] },
    });
    expect(main.fields.get('/host')).toEqual({
      key: { file: FILE, line: 5, column: 7 },
      value: { file: FILE, line: 5, column: 13 },
      text: { file: FILE, line: 5, column: 13 },
    });
    expect(main.fields.get('/ssl/ca')?.value).toEqual({ file: FILE, line: 7, column: 13 });
    expect(main.fields.get('/tags/0')?.value).toEqual({ file: FILE, line: 9, column: 11 });
    expect(file.families.get('sql')!.aliases.get('replica')!.fields.get('/database')?.value.line).toBe(10);
  });

  test('non-string scalars keep the text written, so schemas coerce them exactly like ${VAR} values', () => {
    const main = parse(`connections:
  sql:
    main:
      port: 3306
      account: 0123
      version: 1.10
      read_only: true
      quoted: "3306"
      hex: 0x1F
      flag: yes
`)
      .families.get('sql')!
      .aliases.get('main')!;
    expect(main.config).toEqual({
      port: '3306',
      account: '0123',
      version: '1.10',
      read_only: 'true',
      quoted: '3306',
      hex: '0x1F',
      flag: 'yes',
    });
    const resolver = resolverFor(`connections:
  sql:
    main:
      database: 0123
      port: 3306
      read_only: true
`);
    expect(resolver.resolve('@sql.main').config).toMatchObject({
      database: '0123',
      port: 3306,
      read_only: true,
    });
  });

  test('a key with no value, ~ or null counts as absent (the schema default applies); null list items stay', () => {
    const main = parse(`connections:
  sql:
    main:
      password:
      user: ~
      host: null
      tags: [a, null]
`)
      .families.get('sql')!
      .aliases.get('main')!;
    expect(main.config).toEqual({ tags: ['a', null] });
    expect(main.fields.has('/password')).toBe(false);
  });

  test('anchors, aliases and << merge keys are followed; keys written in the mapping win over merged ones', () => {
    const file = parse(`x-defaults: &defaults
  host: shared-db
  port: 3306
x-tls: &tls
  ssl: { ca: ca.pem }
connections:
  sql:
    a:
      <<: [*defaults, *tls]
      port: 3307
      database: a
    b:
      <<: *defaults
      database: &db b
      user: *db
`);
    const aliases = file.families.get('sql')!.aliases;
    expect(aliases.get('a')!.config).toEqual({
      port: '3307',
      database: 'a',
      host: 'shared-db',
      ssl: { ca: 'ca.pem' },
    });
    expect(aliases.get('b')!.config).toEqual({ database: 'b', user: 'b', host: 'shared-db', port: '3306' });
    // A merged field points where its text is written: at the anchor.
    expect(aliases.get('a')!.fields.get('/host')?.value).toMatchObject({ line: 2, column: 9 });
    expect(aliases.get('a')!.fields.get('/port')?.value).toMatchObject({ line: 10, column: 13 });
  });

  test('an alias that refers to itself is CONFIG_INVALID, not a hang', () => {
    const error = caught(() =>
      parse(`connections:
  sql:
    loop: &loop
      nested: *loop
`),
    );
    expect(error.code).toBe('CONFIG_INVALID');
    expect(error.message).toBe(`${FILE}:4:15: values nested too deeply`);
    expect(error.hint).toBe('Check for an alias that refers to itself');
  });

  test('a "billion laughs" file is refused', () => {
    const levels = Array.from({ length: 9 }, (_, i) =>
      i === 0
        ? 'l0: &l0 [x, x, x, x, x, x, x, x, x, x]'
        : `l${i}: &l${i} [${Array(10)
            .fill(`*l${i - 1}`)
            .join(', ')}]`,
    );
    const yaml = `x-bomb:\n${levels.map((line) => `  ${line}`).join('\n')}\nconnections:\n  sql:\n    a: { bomb: *l8 }\n`;
    expect(caught(() => parse(yaml)).code).toBe('CONFIG_INVALID');
  });

  test('a merge key must name mappings', () => {
    const error = caught(() => parse('connections:\n  sql:\n    a:\n      <<: just-text\n'));
    expect(error.message).toBe(`${FILE}:4:11: a "<<" merge key takes a mapping or a list of mappings`);
  });
});

describe('YAML syntax errors: CONFIG_PARSE with file:line:col and the line quoted', () => {
  test('duplicate keys are refused', () => {
    const error = caught(() => parse('connections:\n  sql:\n    a:\n      host: x\n      host: y\n'));
    expect(error).toMatchObject({ code: 'CONFIG_PARSE', category: 'config', file: FILE, line: 5, column: 7 });
    expect(error.message).toBe(
      `${FILE}:5:7: invalid YAML: Map keys must be unique\n    4 |       host: x\n    5 |       host: y\n      |       ^`,
    );
    expect(error.hint).toBe('A key may appear once per mapping: remove or rename the repeated one');
  });

  test('duplicate aliases and families are refused too', () => {
    expect(caught(() => parse('connections:\n  sql:\n    a: {}\n    a: {}\n')).line).toBe(4);
    expect(caught(() => parse('connections:\n  sql: {}\n  sql: {}\n')).line).toBe(3);
  });

  test('tabs used for indentation are refused with a hint; a tab inside a value is kept', () => {
    const error = caught(() => parse('connections:\n  sql:\n    a:\n\thost: x\n'));
    expect(error).toMatchObject({ code: 'CONFIG_PARSE', line: 4 });
    expect(error.hint).toBe('Indent with spaces: YAML does not allow tabs for indentation');
    const file = parse('connections:\n  sql:\n    a:\n      note: "a\tb"\n');
    expect(file.families.get('sql')!.aliases.get('a')!.config.note).toBe('a\tb');
  });

  test('the quoted line is redacted when it holds a secret', () => {
    const error = caught(() => parse('connections:\n  sql:\n    a:\n      password: "hunter2-literal\n'));
    expect(error.code).toBe('CONFIG_PARSE');
    expect(error.message).not.toContain('hunter2-literal');
    expect(error.message).toContain(`password: ${MASK}`);
    const duplicate = caught(() =>
      parse('connections:\n  sql:\n    a:\n      password: pw-one-1\n      password: pw-two-2\n'),
    );
    expect(duplicate.message).not.toMatch(/pw-one-1|pw-two-2/);
    const url = caught(() =>
      parse('connections:\n  sql:\n    a:\n      url: mysql://u:url-pw-3@h/x\n      url: x\n'),
    );
    expect(url.message).toContain(`    4 |       url: mysql://u:${MASK}@h/x`);
  });

  test('a second document is refused', () => {
    expect(caught(() => parse('connections: {}\n---\nconnections: {}\n')).code).toBe('CONFIG_PARSE');
  });
});

describe('file shape: CONFIG_INVALID with position', () => {
  test.each([
    ['', 'no "connections:" section', 1, 1],
    ['# only a comment\n', 'no "connections:" section', 1, 1],
    ['version: 1\n', 'no "connections:" section', 1, 1],
    ['- a\n- b\n', 'no "connections:" section', 1, 1],
    ['connection:\n  sql: {}\n', 'unknown top-level key "connection"', 1, 1],
    ['connections: [a]\n', '"connections" must be a mapping', 1, 14],
    ['connections:\n  sql: [a]\n', 'family "sql" must be a mapping', 2, 8],
    ['connections:\n  sql:\n    main: text\n', '@sql.main must be a mapping', 3, 11],
    ['connections:\n  MySQL: {}\n', 'invalid family name "MySQL"', 2, 3],
    ['connections:\n  sql:\n    a.b: {}\n', 'invalid alias name "a.b" in family "sql"', 3, 5],
    ['connections:\n  sql:\n    a:\n      default: yes\n', '@sql.a: "default" must be true or false', 4, 16],
    ['connections:\n  sql:\n    a:\n      [x]: 1\n', 'a key must be plain text', 4, 7],
    ['connections:\n  sql:\n    a:\n      1: x\n      "1": y\n', 'key "1" is written twice', 5, 7],
  ])('%j → %s', (yaml, message, line, column) => {
    const error = caught(() => parse(yaml));
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', category: 'config', file: FILE, line, column });
    expect(error.message).toBe(`${FILE}:${line}:${column}: ${message}`);
  });

  test('two aliases with default: true in one family', () => {
    const error = caught(() =>
      parse('connections:\n  sql:\n    a:\n      default: true\n    b:\n      default: True\n'),
    );
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', reference: '@sql.b', line: 5, column: 5 });
    expect(error.message).toBe(
      `${FILE}:5:5: family "sql" has two aliases with default: true: a (line 3) and b (line 5)`,
    );
    expect(error.hint).toBe('Keep default: true on one alias only');
  });

  test('empty sections are allowed: version and x- keys are ignored, an empty family or alias is empty', () => {
    const file = parse('version: 1\nx-anchors: {}\nconnections:\n  sql:\n  api:\n    only:\n');
    expect(file.families.get('sql')!.aliases.size).toBe(0);
    expect(file.families.get('api')!.aliases.get('only')!.config).toEqual({});
    expect(parse('connections:\n').families.size).toBe(0);
  });

  test('a key named __proto__ stays data', () => {
    const main = parse('connections:\n  sql:\n    main:\n      __proto__: { polluted: yes }\n')
      .families.get('sql')!
      .aliases.get('main')!;
    expect(Object.getPrototypeOf(main.config)).toBe(Object.prototype);
    expect(Object.keys(main.config)).toEqual(['__proto__']);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
