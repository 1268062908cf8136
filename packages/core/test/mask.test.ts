// biome-ignore-all lint/suspicious/noTemplateCurlyInString: these tests are about the ${VAR} syntax itself
import { inspect } from 'node:util';
import { describe, expect, test } from 'vitest';
import { MASK, maskConfig } from '../src/index.js';
import { maskSourceLine } from '../src/secrets/mask.js';
import { printMasked } from '../src/secrets/masked-output.js';

describe('maskConfig', () => {
  test('masks secrets by name and by declared pointer, at any depth, and leaves the input alone', () => {
    const config = {
      host: 'db',
      password: 'hunter22',
      primary_key: 'id',
      ssl: { ca: 'ca.pem', cert: 'CERT' },
      replicas: [{ host: 'r1', password: 'r1-secret' }],
      credentials: { client_email: 'a@b.c', pin: 1234 },
    };
    const masked = maskConfig(config, { secrets: ['/ssl/cert'] });
    expect(masked).toEqual({
      host: 'db',
      password: MASK,
      primary_key: 'id',
      ssl: { ca: 'ca.pem', cert: MASK },
      replicas: [{ host: 'r1', password: MASK }],
      credentials: { client_email: MASK, pin: MASK },
    });
    expect(config.password).toBe('hunter22');
  });

  test('keeps ${VAR} placeholders visible and masks the literal text around them and in defaults', () => {
    const masked = maskConfig({
      password: '${DB_PASSWORD}',
      token: 'tok-${SUFFIX}',
      key: '${KEY:-literal-default}',
      secret: '${S:?set S to the shared secret}',
      api_key: '$${not-a-placeholder}',
      host: '${HOST:-localhost}',
    });
    expect(masked).toEqual({
      password: '${DB_PASSWORD}',
      token: `${MASK}\${SUFFIX}`,
      key: `\${KEY:-${MASK}}`,
      secret: '${S:?set S to the shared secret}',
      api_key: MASK,
      host: '${HOST:-localhost}',
    });
  });

  test('placeholders: false masks a resolved value whole even when it contains "${"', () => {
    expect(maskConfig({ password: 'a${B}c' }, { placeholders: false })).toEqual({ password: MASK });
  });

  test('masks URL passwords and secret query parameters in any field, keeping the rest visible', () => {
    const masked = maskConfig({
      url: 'mysql://app:s3cret@db:3306/x',
      replica:
        'postgres://reader:p@ss/w0rd@replica.internal:5432/app?sslmode=require&sslpassword=abc&application_name=osiris',
      api: 'https://api.example.com/v1?key=AIzaXYZ&token=t0k&limit=10',
      placeholder: 'mysql://app:${DB_PASSWORD}@db/x',
      user_only: 'mysql://app@db/x',
      plain: 'not a url: a:b@c',
    });
    expect(masked).toEqual({
      url: `mysql://app:${MASK}@db:3306/x`,
      replica: `postgres://reader:${MASK}@replica.internal:5432/app?sslmode=require&sslpassword=${MASK}&application_name=osiris`,
      api: `https://api.example.com/v1?key=${MASK}&token=${MASK}&limit=10`,
      placeholder: 'mysql://app:${DB_PASSWORD}@db/x',
      user_only: 'mysql://app@db/x',
      plain: 'not a url: a:b@c',
    });
  });

  test('a secret field holding a URL with credentials keeps its host visible; without credentials it is masked whole', () => {
    expect(maskConfig({ dsn: 'mysql://app:pw12@db/x', pg_dsn: 'postgres://db/x' })).toEqual({
      dsn: `mysql://app:${MASK}@db/x`,
      pg_dsn: MASK,
    });
  });

  test('an empty secret stays empty; a null one prints as the mask, as in the original', () => {
    expect(maskConfig({ password: '', token: null, host: null })).toEqual({
      password: '',
      token: MASK,
      host: null,
    });
  });
});

describe('maskSourceLine', () => {
  test('masks the value after a secret key, and URL credentials anywhere', () => {
    expect(maskSourceLine('      password: hunter2')).toBe(`      password: ${MASK}`);
    expect(maskSourceLine('  "api_key": "abc", x: 1')).toBe(`  "api_key": ${MASK}`);
    expect(maskSourceLine('  { host: db, password: "hunter2 }')).toBe(`  { host: db, password: ${MASK}`);
    expect(maskSourceLine('  url: mysql://app:pw99@db/x')).toBe(`  url: mysql://app:${MASK}@db/x`);
    expect(maskSourceLine('  password: ${DB_PASSWORD}')).toBe('  password: ${DB_PASSWORD}');
    expect(maskSourceLine('  primary_key: id')).toBe('  primary_key: id');
  });
});

describe('printMasked', () => {
  test('JSON.stringify and util.inspect print masked while the properties keep their values', () => {
    const config = printMasked(
      {
        host: 'db',
        password: 'pw-value-1',
        ssl: { cert: 'CERT-VALUE', ca: 'ca.pem' },
        list: [{ token: 'tok-1234' }],
      },
      ['/ssl/cert'],
    );
    expect(config.password).toBe('pw-value-1');
    expect(config.ssl.cert).toBe('CERT-VALUE');
    expect(Object.keys(config)).toEqual(['host', 'password', 'ssl', 'list']);
    expect(JSON.parse(JSON.stringify(config))).toEqual({
      host: 'db',
      password: MASK,
      ssl: { cert: MASK, ca: 'ca.pem' },
      list: [{ token: MASK }],
    });
    for (const output of [
      inspect(config, { depth: 5 }),
      inspect(config.ssl),
      JSON.stringify(config.ssl),
      inspect(config.list),
    ]) {
      expect(output).not.toMatch(/pw-value-1|CERT-VALUE|tok-1234/);
    }
    expect({ ...config }.password).toBe('pw-value-1');
  });
});
