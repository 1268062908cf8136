import { ConnectorError } from '@osiris/core';
import { describe, expect, it } from 'vitest';
import { validateReadOnly } from '../src/index.js';
import { cases, type ReadOnlyCase } from './fixtures/read-only-cases.js';

/** What the check did with a statement: undefined when allowed, else the thrown error. */
function verdictOf(sql: string): ConnectorError | undefined {
  try {
    validateReadOnly(sql);
    return undefined;
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
}

const label = (c: ReadOnlyCase) => `${JSON.stringify(c.sql).slice(0, 90)} — ${c.why}`;

describe('validateReadOnly: the case table', () => {
  it('holds at least 150 cases with both verdicts, each with a reason', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(cases.filter((c) => c.verdict === 'allow').length).toBeGreaterThanOrEqual(60);
    expect(cases.filter((c) => c.verdict === 'deny').length).toBeGreaterThanOrEqual(90);
    for (const c of cases) {
      expect(c.why.length).toBeGreaterThan(2);
      if (c.verdict === 'deny') expect(c.rule).toBeDefined();
    }
    expect(new Set(cases.map((c) => c.sql)).size, 'no case is listed twice').toBe(cases.length);
  });

  it.each(cases.filter((c) => c.verdict === 'allow').map((c) => [label(c), c] as const))(
    'allows %s',
    (_, c) => {
      expect(verdictOf(c.sql)?.message).toBeUndefined();
    },
  );

  it.each(cases.filter((c) => c.verdict === 'deny').map((c) => [label(c), c] as const))(
    'denies %s',
    (_, c) => {
      const error = verdictOf(c.sql);
      expect(error, 'the check refused it').toBeDefined();
      expect(error).toMatchObject({
        code: 'READ_ONLY_VIOLATION',
        category: 'read_only',
        details: { rule: c.rule },
      });
      expect(error?.hint).toBeTruthy();
    },
  );
});

describe('validateReadOnly: messages', () => {
  it('point at the offending character and never repeat a long statement', () => {
    const sql = `SELECT '${'x'.repeat(200)}', pg_sleep(1)`;
    const error = verdictOf(sql) as ConnectorError;
    expect(error.message).toMatch(/pg_sleep is not allowed/);
    expect(error.details?.offset).toBe(sql.indexOf('pg_sleep'));
    expect(error.message).not.toContain('x'.repeat(50));
  });

  it('refuses what is not text', () => {
    expect(verdictOf(42 as unknown as string)).toMatchObject({ details: { rule: 'empty' } });
  });
});
