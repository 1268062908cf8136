import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import {
  createRegistry,
  createResolver,
  isConnectorError,
  maskConfig,
  parseConnections,
} from '../src/index.js';
import { sqlPlugin } from './helpers/config.js';
import { mutatedConnectionsFile } from './helpers/connections-fuzz.js';

const FILE = '/project/osiris_connections.yaml';

/** What `list` and `doctor` do with a file: parse, then raw and resolved config of every alias, masked. */
function useFile(source: string): void {
  const registry = createRegistry([sqlPlugin]);
  const resolver = createResolver({
    registry,
    connections: parseConnections(source, FILE),
    env: { PW: 'x' },
  });
  for (const reference of resolver.references()) {
    maskConfig(resolver.raw(reference).config);
    try {
      maskConfig(resolver.resolve(reference).config);
    } catch (error) {
      if (!isConnectorError(error)) throw error;
    }
  }
}

/** The error a file is refused with (fails the test when it is accepted). */
function refusal(source: string) {
  try {
    useFile(source);
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error('expected the file to be refused');
}

const deepIndentation = `connections:\n  sql:\n    main:\n      nest:\n${Array.from(
  { length: 2000 },
  (_, i) => `${' '.repeat(8 + i)}k:\n`,
).join('')}`;

const manyAliases = `x-v: &v abc\nconnections:\n  sql:\n    main:\n      database: d\n      list:\n${'        - *v\n'.repeat(19_000)}`;

describe('a connections file stays bounded: every limit is a CONFIG_INVALID naming file and line', () => {
  test('2,000 lines each indented one more space: refused at the line that nests too deep', () => {
    const error = refusal(deepIndentation);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', category: 'config', file: FILE, line: 65 });
    expect(error.message).toContain('nested more than 64 levels deep');
  });

  test('deeply nested brackets: refused, not a stack overflow', () => {
    const error = refusal(
      `connections:\n  sql:\n    main:\n      v: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
    );
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', line: 4 });
  });

  test('19,000 aliases: refused at the first alias past the limit, before the document is built', () => {
    const error = refusal(manyAliases);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', line: 1006 });
    expect(error.message).toContain('more than 1000 anchors and aliases');
  });

  test('a value longer than 64 KiB: refused at the value', () => {
    const error = refusal(`connections:\n  sql:\n    main:\n      database: ${'y'.repeat(100_000)}\n`);
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', line: 4, column: 17 });
    expect(error.message).toContain('a value of 100,000 characters');
    expect(error.message.length).toBeLessThan(300);
  });

  test('a file over 2 MiB: refused before it is parsed', () => {
    const error = refusal(
      `connections:\n  sql:\n    main:\n      database: [${'x'.repeat(3 * 1024 * 1024)}\n`,
    );
    expect(error).toMatchObject({ code: 'CONFIG_INVALID', line: 1 });
    expect(error.message).toContain('at most 2 MiB');
  });

  test('a syntax error on a long line quotes the position, not the line', () => {
    const error = refusal(`connections:\n  sql:\n    main:\n      database: [${'x'.repeat(500_000)}\n`);
    expect(error.code).toBe('CONFIG_PARSE');
    expect(error.message).toContain('(a line of 500,017 characters, not quoted)');
    expect(error.message.length).toBeLessThan(1000);
  });

  test('the real features stay usable within the limits: anchors, merges, nesting, long values', () => {
    const ca = 'c'.repeat(30_000);
    const source = `x-base: &base\n  host: db\n  user: app\nconnections:\n  sql:\n    main:\n      <<: *base\n      database: sales\n      password: \${PW}\n      ssl:\n        ca: ${ca}\n`;
    expect(() => useFile(source)).not.toThrow();
  });
});

const SEED = `version: 1
x-base: &base
  host: db.internal
  user: app
connections:
  sql:
    main:
      <<: *base
      database: sales
      password: \${PW}
      default: true
    replica:
      url: mysql://reader:s3cret@replica:3306/sales?ssl=true
      database: "x"
      ssl: { ca: "-----BEGIN-----", cert_key: '\${KEY:-none}' }
`;

describe('fuzzed connections files', () => {
  test('are used or refused with a ConnectorError: never another error, a hang or runaway memory', async () => {
    let mostAllocated = 0;
    await fc.assert(
      fc.asyncProperty(mutatedConnectionsFile(SEED), async (source) => {
        // Per case: garbage of earlier cases collected meanwhile can only make this smaller, never larger.
        const before = process.memoryUsage().heapUsed;
        try {
          useFile(source);
        } catch (error) {
          expect(isConnectorError(error), String((error as Error).stack)).toBe(true);
          expect((error as Error).message.length, (error as Error).message.slice(0, 300)).toBeLessThan(2000);
        }
        mostAllocated = Math.max(mostAllocated, process.memoryUsage().heapUsed - before);
      }),
      // The budget: a case that hangs fails after 5 s (the hangs this guards against took 10 s to minutes).
      { numRuns: 400, timeout: 5000 },
    );
    // Memory budget: a file is at most 2 MiB; one case must not allocate many times that.
    expect(mostAllocated).toBeLessThan(128 * 1024 * 1024);
  });
});
