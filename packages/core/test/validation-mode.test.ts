import { describe, expect, test } from 'vitest';
import { caught, FILE, resolverFor } from './helpers/config.js';

const file = (top: string) => `${top}connections:
  sql:
    main:
      alias: Main warehouse
      description: The reporting replica
      database: sales
      hots: db.internal
      ssl:
        ca: /etc/ca.pem
        verify: full
`;

describe('alias: and description: (the original metadata keys)', () => {
  test('are accepted in any alias and never reach the connector', () => {
    const config = resolverFor(file('validation: warn\n')).resolve('@sql.main').config;
    expect(config).not.toHaveProperty('alias');
    expect(config).not.toHaveProperty('description');
    expect(config.database).toBe('sales');
  });
});

describe('validation: strict | warn', () => {
  test('strict (the default): an unknown field is CONFIG_INVALID at its line, and the hint names the way out', () => {
    for (const top of ['', 'validation: strict\n']) {
      const error = caught(() => resolverFor(file(top)).resolve('@sql.main'));
      expect(error).toMatchObject({ code: 'CONFIG_INVALID', file: FILE, line: top === '' ? 7 : 8 });
      expect(error.message).toContain('unknown field "hots"');
      expect(error.hint).toContain('Did you mean "host"?');
      expect(error.hint).toContain('validation: warn');
    }
  });

  test('warn: unknown fields, nested ones too, are left out and come back as UNKNOWN_FIELD warnings', () => {
    const resolved = resolverFor(file('validation: warn\n')).resolve('@sql.main');
    expect({ ...resolved.config }).toMatchObject({
      database: 'sales',
      host: 'localhost',
      ssl: { ca: '/etc/ca.pem' },
    });
    expect(resolved.config).not.toHaveProperty('hots');
    expect(resolved.warnings?.map((warning) => [warning.code, warning.field, warning.location.line])).toEqual(
      [
        ['UNKNOWN_FIELD', '/hots', 8],
        ['UNKNOWN_FIELD', '/ssl/verify', 11],
      ],
    );
    expect(resolved.warnings?.[0]?.message).toBe(
      `@sql.main: unknown field "hots" is ignored (${FILE}:8:7); Did you mean "host"? Known fields: host, port, database, user, password, read_only, ssl, tags`,
    );
  });

  test('warn: a field of the wrong type is still an error', () => {
    const yaml =
      'validation: warn\nconnections:\n  sql:\n    main:\n      database: x\n      port: eighty\n      extra: 1\n';
    const error = caught(() => resolverFor(yaml).resolve('@sql.main'));
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', line: 6 });
    expect(error.message).toContain('field "port"');
  });

  test('anything else is CONFIG_INVALID at its line', () => {
    const error = caught(() => resolverFor(`validation: loose\n${file('')}`));
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', line: 1, column: 13 });
    expect(error.message).toContain('"validation" must be strict or warn');
  });
});
