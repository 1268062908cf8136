import { ConnectorError } from '@osiris/core';
import { createPostgresDatabase, type TestPostgresDatabase } from '@osiris/test-services';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { validateReadOnly } from '../src/index.js';
import { tokenize } from '../src/read-only/lexer.js';

/**
 * Whether the lexer sees more than one non-empty statement in `sql` (the server ignores empty ones, `;;`;
 * the check refuses them anyway); undefined when it refuses to read the text at all.
 */
function lexerSeesSeveral(sql: string): boolean | undefined {
  const isSemicolon = (token: { kind: string; value: string } | undefined) =>
    token?.kind === 'punct' && token.value === ';';
  try {
    const tokens = tokenize(sql);
    return tokens.some(
      (token, index) =>
        isSemicolon(token) && tokens[index + 1] !== undefined && !isSemicolon(tokens[index + 1]),
    );
  } catch {
    return undefined;
  }
}

/** Pieces that change how PostgreSQL's scanner reads what follows them. */
const FRAGMENTS = [
  ';',
  "'",
  "''",
  '"',
  '$$',
  '$a$',
  '$1',
  'E',
  'e',
  'U&',
  'X',
  'b',
  '\\',
  '/*',
  '*/',
  '--',
  '\n',
  ' ',
  'x',
  'UESCAPE',
  '!',
  '(',
  ')',
  '1',
];
const soup = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 14 }).map((parts) => parts.join(''));

/** SELECT lists of literals, quotes and comments around raw fragments (unescaped on purpose), maybe a second statement. */
const WRAPPERS = [
  (raw: string) => `'${raw}'`,
  (raw: string) => `E'${raw}'`,
  (raw: string) => `$$${raw}$$`,
  (raw: string) => `$a$${raw}$a$`,
  (raw: string) => `1 /* ${raw} */`,
  (raw: string) => `1 -- ${raw}\n`,
  (raw: string) => `1 AS "${raw}"`,
  (raw: string) => `U&'${raw}'`,
  (raw: string) => raw,
];
const statements = fc
  .tuple(
    fc.array(fc.tuple(fc.nat(WRAPPERS.length - 1), soup), { minLength: 1, maxLength: 3 }),
    fc.constantFrom('', '; SELECT 2', ';'),
  )
  .map(
    ([items, tail]) =>
      `SELECT ${items.map(([wrapper, raw]) => (WRAPPERS[wrapper] as (raw: string) => string)(raw)).join(', ')}${tail}`,
  );

describe('validateReadOnly: properties', () => {
  test('any text is either allowed or refused with READ_ONLY_VIOLATION, never a crash', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string(), soup), (text) => {
        try {
          validateReadOnly(`SELECT 1 ${text}`);
        } catch (error) {
          expect(error).toBeInstanceOf(ConnectorError);
          expect((error as ConnectorError).code).toBe('READ_ONLY_VIOLATION');
        }
      }),
      { numRuns: 2_000 },
    );
  });

  test('anything inside a quoted literal, a dollar quote or a comment is data', () => {
    const content = fc
      .string({ unit: 'binary' })
      .filter((text) => !text.includes('\0') && !/[\uD800-\uDFFF]/.test(text));
    fc.assert(
      fc.property(content, (text) => {
        validateReadOnly(`SELECT '${text.replaceAll("'", "''")}'`);
        validateReadOnly(`SELECT E'${text.replace(/[\\']/g, '\\$&')}'`);
        if (!text.includes('$q$')) validateReadOnly(`SELECT $q$${text}$q$`);
        if (!text.includes('*/') && !text.includes('/*')) validateReadOnly(`SELECT 1 /* ${text} */`);
        if (!/[\n\r]/.test(text)) validateReadOnly(`SELECT 1 -- ${text}`);
      }),
      { numRuns: 1_000 },
    );
  });
});

describe('the lexer agrees with the server on where statements end', () => {
  let db: TestPostgresDatabase;
  let client: pg.Client;
  beforeAll(async () => {
    db = await createPostgresDatabase('osiris_lexer');
    client = new pg.Client({
      connectionString: db.url,
      options: '-c default_transaction_read_only=on -c standard_conforming_strings=on',
    });
    await client.connect();
  });
  afterAll(async () => {
    await client?.end();
    await db?.drop();
  });

  test('where the server finds one statement or two, so does the lexer (or it refuses the text)', async () => {
    let several = 0;
    await fc.assert(
      fc.asyncProperty(statements, async (sql) => {
        const server = await client.query({ text: sql, queryMode: 'extended' } as pg.QueryConfig).then(
          () => 'one',
          (error: { message: string }) => (/multiple commands/.test(error.message) ? 'several' : 'error'),
        );
        const lexer = lexerSeesSeveral(sql);
        if (server === 'several') {
          several++;
          expect(lexer, `the server runs two statements: ${sql}`).not.toBe(false);
        }
        if (server === 'one') expect(lexer, `the server runs one statement: ${sql}`).not.toBe(true);
      }),
      { numRuns: 1_500 },
    );
    // The fragments do produce second statements, so the comparison has something to compare.
    expect(several).toBeGreaterThan(20);
  });
});
