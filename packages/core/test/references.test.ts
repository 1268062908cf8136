import { describe, expect, test } from 'vitest';
import { parseReference } from '../src/index.js';
import { caught, FILE, resolverFor } from './helpers/config.js';

describe('parseReference', () => {
  test.each([
    ['@sql.main', { family: 'sql', alias: 'main' }],
    ['@sql', { family: 'sql', alias: undefined }],
    ['@my-family_2.Alias-1_x', { family: 'my-family_2', alias: 'Alias-1_x' }],
    ['@sql.2024', { family: 'sql', alias: '2024' }],
  ])('%s', (reference, parts) => {
    expect(parseReference(reference)).toEqual(parts);
  });

  test.each([
    ['sql.main', 'a reference starts with "@"'],
    ['', 'a reference starts with "@"'],
    ['@', 'the family is lowercase letters, digits, "_" and "-", starting with a letter'],
    ['@MySQL.main', 'the family is lowercase letters, digits, "_" and "-", starting with a letter'],
    ['@1sql', 'the family is lowercase letters, digits, "_" and "-", starting with a letter'],
    ['@.main', 'the family is lowercase letters, digits, "_" and "-", starting with a letter'],
    ['@sql.', 'the alias is letters, digits, "_" and "-", after a single "."'],
    ['@sql.a.b', 'the alias is letters, digits, "_" and "-", after a single "."'],
    ['@sql.main ', 'the alias is letters, digits, "_" and "-", after a single "."'],
    ['@sql.ma in', 'the alias is letters, digits, "_" and "-", after a single "."'],
  ])('%j → INVALID_REFERENCE: %s', (reference, reason) => {
    const error = caught(() => parseReference(reference));
    expect(error).toMatchObject({ code: 'INVALID_REFERENCE', category: 'config' });
    expect(error.message).toBe(`Invalid connection reference ${JSON.stringify(reference)}: ${reason}`);
    expect(error.hint).toBe(
      'A reference is @family.alias (e.g. @mysql.main), or @family for its default alias',
    );
  });

  test('a non-string, or a very long string, gives a short message', () => {
    expect(caught(() => parseReference(42)).message).toBe(
      'Invalid connection reference number: a reference is a string',
    );
    expect(caught(() => parseReference(`@${'x'.repeat(500)}!`)).message.length).toBeLessThan(200);
  });
});

describe('default alias rules', () => {
  const families = `connections:
  sql:
    first: { database: a }
    flagged: { database: b, default: true }
    default: { database: c }
  api:
    default: { url: "https://a.example", service_role_key: k }
    other: { url: "https://b.example", service_role_key: k }
  solo:
    only: {}
  many:
    a: {}
    b: {}
  none: {}
`;
  const resolver = resolverFor(families);

  test('default: true wins over an alias named default', () => {
    const resolved = resolver.resolve('@sql');
    expect(resolved).toMatchObject({ reference: '@sql.flagged', family: 'sql', alias: 'flagged' });
    expect(resolved.config).not.toHaveProperty('default');
  });

  test('else the alias named default', () => {
    expect(resolver.resolve('@api').reference).toBe('@api.default');
  });

  test('else the only alias', () => {
    expect(caught(() => resolver.resolve('@solo')).message).toContain(
      'No connector is registered for family "solo"',
    );
    expect(caught(() => resolver.resolve('@solo')).reference).toBe('@solo.only');
  });

  test('else NO_DEFAULT_ALIAS listing the aliases', () => {
    const error = caught(() => resolver.resolve('@many'));
    expect(error).toMatchObject({ code: 'NO_DEFAULT_ALIAS', category: 'config', reference: '@many' });
    expect(error.message).toBe('Family "many" has no default alias (aliases: a, b)');
    expect(error.hint).toBe('Name one explicitly (@many.<alias>), or mark one alias with default: true');
    expect(caught(() => resolver.resolve('@none')).message).toBe(
      'Family "none" has no default alias (aliases: none)',
    );
  });

  test('default: false is no default', () => {
    const falseFlag = resolverFor(
      'connections:\n  sql:\n    a: { database: x, default: false }\n    b: { database: y }\n',
    );
    expect(caught(() => falseFlag.resolve('@sql')).code).toBe('NO_DEFAULT_ALIAS');
  });
});

describe('unknown families and aliases', () => {
  const resolver = resolverFor(`connections:
  sql:
    main: { database: a }
    replica: { database: b }
  api:
    prod: { url: "https://x.example", service_role_key: k }
`);

  test('UNKNOWN_FAMILY lists the families, with "did you mean" when one is close', () => {
    const error = caught(() => resolver.resolve('@sqll.main'));
    expect(error).toMatchObject({ code: 'UNKNOWN_FAMILY', category: 'config', reference: '@sqll.main' });
    expect(error.message).toBe(`No family "sqll" in ${FILE} (families: sql, api)`);
    expect(error.hint).toBe('Did you mean @sql?');
    expect(caught(() => resolver.resolve('@warehouse')).hint).toBe(
      'Add a "warehouse:" section under connections:, or use one of the families listed',
    );
  });

  test('UNKNOWN_ALIAS lists the aliases, with "did you mean" when one is close (a swap counts as one edit)', () => {
    const error = caught(() => resolver.resolve('@sql.mian'));
    expect(error).toMatchObject({ code: 'UNKNOWN_ALIAS', category: 'config', reference: '@sql.mian' });
    expect(error.message).toBe(`No alias "mian" in family "sql" in ${FILE} (aliases: main, replica)`);
    expect(error.hint).toBe('Did you mean @sql.main?');
    expect(caught(() => resolver.resolve('@sql.Replica')).hint).toBe('Did you mean @sql.replica?');
    expect(caught(() => resolver.resolve('@sql.staging')).hint).toBe(
      "Use one of the aliases listed, or @sql for the family's default alias",
    );
  });

  test('references() lists every @family.alias, sorted', () => {
    expect(resolver.references()).toEqual(['@api.prod', '@sql.main', '@sql.replica']);
  });
});
