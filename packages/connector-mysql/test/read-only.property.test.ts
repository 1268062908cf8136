import { ConnectorError } from '@osiris/core';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { allowedFunctions } from '../src/read-only/functions.js';
import { validateReadOnly } from '../src/read-only/index.js';
import { cases } from './fixtures/read-only/cases.js';

/** The guard's verdict on `sql`: undefined when allowed, the rule when refused; anything else thrown fails. */
function ruleOf(sql: string): string | undefined {
  try {
    validateReadOnly(sql);
    return undefined;
  } catch (error) {
    expect(error).toBeInstanceOf(ConnectorError);
    const { code, category, details } = error as ConnectorError;
    expect({ code, category }).toEqual({ code: 'READ_ONLY_VIOLATION', category: 'read_only' });
    expect(details?.offset).toBeGreaterThanOrEqual(0);
    expect(details?.offset).toBeLessThanOrEqual(sql.length);
    return details?.rule as string;
  }
}

const DROP = '; DROP TABLE t';

// ── Random input ────────────────────────────────────────────────────────────────────────────────────────

/** Any UTF-16 text, lone surrogates and control characters included. */
const anyText = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 80 })
  .map((codes) => String.fromCharCode(...codes));

/** Pieces of SQL that matter to the lexer and the verifier, glued with or without separators. */
const soupPiece = fc.constantFrom(
  ...'SELECT WITH VALUES TABLE SHOW DESCRIBE EXPLAIN FROM WHERE INTO OUTFILE FOR UPDATE SHARE LOCK IN MODE PROCEDURE'.split(
    ' ',
  ),
  ...'ANALYZE NEXT VALUE NEXTVAL SLEEP COUNT CONCAT JSON_TABLE COLUMNS AGAINST MATCH AS RECURSIVE UNION t x 1 1.5 .5 1e5'.split(
    ' ',
  ),
  ...[
    '(',
    ')',
    ',',
    ';',
    '.',
    '=',
    '-',
    '--',
    '#',
    '/*',
    '*/',
    '/*!',
    '/*M!',
    '/*+',
    "'",
    '"',
    '`',
    '\\',
    "\\'",
    "''",
  ],
  ...[
    '@',
    '@@',
    ':',
    ':=',
    '?',
    '$',
    '\n',
    '\r',
    '\t',
    ' ',
    '\u00a0',
    '\u3000',
    'ſ',
    '😀',
    '\u0000',
    'N',
    "X'",
    "'41'",
  ],
);
const separator = fc.constantFrom('', ' ', '\n', '\t', '/**/', '\r\n');
const tokenSoup = fc
  .array(fc.tuple(soupPiece, separator), { maxLength: 30 })
  .map((parts) => parts.map(([piece, gap]) => piece + gap).join(''));

describe('validateReadOnly on arbitrary input', () => {
  it('returns or throws a READ_ONLY_VIOLATION for any text, never anything else', () => {
    fc.assert(
      fc.property(anyText, (sql) => {
        ruleOf(sql);
      }),
      { numRuns: 1_000 },
    );
  });

  it('returns or throws a READ_ONLY_VIOLATION for token soups, and whatever it allows stays one statement', () => {
    fc.assert(
      fc.property(tokenSoup, (sql) => {
        if (ruleOf(sql) === undefined) expect(ruleOf(`${sql}\n${DROP}`)).toBe('multiple_statements');
      }),
      { numRuns: 1_500 },
    );
  });
});

// ── Generated innocent queries ──────────────────────────────────────────────────────────────────────────

/** Text without control characters (the guard refuses those even inside strings). */
const plainText = fc
  .string({ unit: 'grapheme', maxLength: 20 })
  .filter((text) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/.test(text));
/** A '…' literal that ends in the same place with and without backslash escapes: quotes and backslashes doubled. */
const stringLiteral = plainText.map((text) => `'${text.replaceAll('\\', '\\\\').replaceAll("'", "''")}'`);
const backticked = plainText
  .filter((text) => text.length > 0)
  .map((text) => `\`${text.replaceAll('`', '``')}\``);
const column = fc.oneof(fc.constantFrom('id', 'a', 'b', 'note', 't.id', 't.`delete`', 'u.name'), backticked);
const numberLiteral = fc.oneof(
  fc.integer().map(String),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((value) => String(Math.abs(value))),
);
// LAST_INSERT_ID is allowed without arguments only (tested in the case table).
const shared = [...allowedFunctions()].filter((name) => name !== 'LAST_INSERT_ID');
/** Separators the servers and the guard read alike: whitespace, plain comments, and line comments ended by LF. */
const gap = fc.oneof(
  fc.constantFrom(' ', '  ', '\n', '\t', '\r\n'),
  plainText.filter((text) => !text.includes('*/') && !text.includes('/*')).map((text) => ` /* ${text} */ `),
  plainText.filter((text) => !/[\r\n]/.test(text)).map((text) => ` -- ${text}\n`),
  plainText.filter((text) => !/[\r\n]/.test(text)).map((text) => ` # ${text}\n`),
);

const expression: fc.Arbitrary<string> = fc.letrec<{ expr: string }>((tie) => ({
  expr: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    column,
    stringLiteral,
    numberLiteral,
    fc.constantFrom('NULL', 'TRUE', '@osiris_probe', '@@version', '?', 'CURRENT_TIMESTAMP'),
    fc
      .tuple(fc.constantFrom(...shared), fc.array(tie('expr'), { maxLength: 3 }))
      .map(([name, args]) => `${name}(${args.join(', ')})`),
    fc
      .tuple(
        tie('expr'),
        fc.constantFrom('+', '-', '*', '/', '=', '<>', 'AND', 'OR', 'LIKE', '||'),
        tie('expr'),
      )
      .map(([left, operator, right]) => `(${left} ${operator} ${right})`),
    tie('expr').map((inner) => `(SELECT ${inner})`),
  ),
})).expr;

/** A SELECT from parts, each gap a random separator; `render` rebuilds it with other select items. */
const selectQuery = fc
  .record({
    distinct: fc.boolean(),
    items: fc.array(expression, { minLength: 1, maxLength: 4 }),
    from: fc.option(fc.constantFrom('t', '`t`', 't JOIN u ON u.t_id = t.id', '(SELECT 1 AS id) AS d'), {
      nil: undefined,
    }),
    where: fc.option(expression, { nil: undefined }),
    order: fc.option(expression, { nil: undefined }),
    limit: fc.option(fc.nat(1000), { nil: undefined }),
    semicolon: fc.boolean(),
    gaps: fc.array(gap, { minLength: 12, maxLength: 12 }),
  })
  .map((q) => {
    const g = (i: number) => q.gaps[i]!;
    const render = (items: string[]) => {
      const parts = [`SELECT${g(0)}${q.distinct ? `DISTINCT${g(1)}` : ''}`, items.join(`,${g(2)}`)];
      if (q.from) parts.push(`${g(3)}FROM${g(4)}${q.from}`);
      if (q.from && q.where) parts.push(`${g(5)}WHERE${g(6)}${q.where}`);
      if (q.order) parts.push(`${g(7)}ORDER BY${g(8)}${q.order}`);
      if (q.limit !== undefined) parts.push(`${g(9)}LIMIT ${q.limit}`);
      return `${parts.join('')}${q.semicolon ? ';' : ''}`;
    };
    return { sql: render(q.items), items: q.items, render };
  });

describe('validateReadOnly on generated queries', () => {
  it('allows generated SELECTs with any names, strings, comments and builtin calls', () => {
    fc.assert(
      fc.property(selectQuery, ({ sql }) => {
        expect(ruleOf(sql)).toBeUndefined();
      }),
      { numRuns: 1_000 },
    );
  });

  it(`denies any allowed query with "${DROP}" appended`, () => {
    fc.assert(
      fc.property(selectQuery, ({ sql }) => {
        // A trailing line comment would swallow the text on the same line, for the server as well.
        const rule = ruleOf(sql + DROP);
        if (/(--|#)[^\n]*$/.test(sql)) expect(ruleOf(`${sql}\n${DROP}`)).toBe('multiple_statements');
        else expect(rule).toBe('multiple_statements');
      }),
      { numRuns: 1_000 },
    );
  });

  it('denies an allowed query once SLEEP, GET_LOCK or LOAD_FILE replaces one of its select items', () => {
    const denied = fc.constantFrom(
      'SLEEP(1)',
      "GET_LOCK('l', 0)",
      "LOAD_FILE('/etc/passwd')",
      'sleep /* */ (1)',
    );
    fc.assert(
      fc.property(selectQuery, denied, fc.nat(), ({ items, render }, call, pick) => {
        const changed = items.map((item, index) => (index === pick % items.length ? call : item));
        expect(ruleOf(render(changed))).toBe('function');
      }),
      { numRuns: 500 },
    );
  });

  it(`denies every allowed case of the table with "${DROP}" appended on a new line`, () => {
    for (const c of cases.filter((entry) => entry.verdict === 'allow' && entry.server === undefined)) {
      expect(ruleOf(`${c.sql}\n${DROP}`), c.sql).toBe('multiple_statements');
      if (!/(--|#)[^\n]*$/.test(c.sql)) expect(ruleOf(c.sql + DROP), c.sql).toBe('multiple_statements');
    }
  });
});
