import { readFileSync } from 'node:fs';
import { ConnectorError } from '@osiris/core';
import { createTestDatabase, type TestDatabase } from '@osiris/test-services';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateReadOnly } from '../src/read-only/index.js';

/**
 * The guard on real statements: public SQL extracted from open-source projects (each fixture names its source
 * and commit) and labelled by MariaDB itself with scripts/label-read-only-corpus.ts, which runs every statement
 * once on a private, throwaway server and reads the server's command counters. `read` is a statement the server
 * counted as SELECT/SHOW/HELP that set no variable, took no lock, wrote no row and ran no stored program;
 * everything else the server parsed is `write`. No write may pass the guard; at most 1% of reads may be refused.
 */

interface Corpus {
  source: string;
  server: string;
  statements: Array<{ sql: string; label: 'read' | 'write'; command: string }>;
}

const load = (name: string): Corpus =>
  JSON.parse(
    readFileSync(new URL(`./fixtures/read-only/corpus-${name}.json`, import.meta.url), 'utf8'),
  ) as Corpus;

/** The rule the guard refuses `sql` with on MariaDB (the labelling server), or undefined when it passes. */
function refusal(sql: string): string | undefined {
  try {
    validateReadOnly(sql, { server: 'mariadb' });
    return undefined;
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    return String(error.details?.rule);
  }
}

/** Corpora the guard was tuned on, then the one kept unseen until the guard's changes were done. */
const CORPORA = ['sqlglot', 'mariadb-docs', 'unseen'];

describe.each(CORPORA)('the %s corpus', (name) => {
  const corpus = load(name);
  const reads = corpus.statements.filter((s) => s.label === 'read');
  const writes = corpus.statements.filter((s) => s.label === 'write');

  it('holds enough labelled statements of both kinds to measure', () => {
    expect(corpus.source).toMatch(/@[0-9a-f]{40}/);
    expect(reads.length).toBeGreaterThan(100);
    expect(writes.length).toBeGreaterThan(100);
  });

  it('lets no write through', () => {
    const passed = writes.filter((s) => refusal(s.sql) === undefined).map((s) => `${s.command}: ${s.sql}`);
    expect(passed).toEqual([]);
  });

  it('refuses at most 1% of plain reads', () => {
    const refused = reads.flatMap((s) => {
      const rule = refusal(s.sql);
      return rule ? [`${rule}: ${s.sql.slice(0, 160)}`] : [];
    });
    expect(refused.length / reads.length, refused.join('\n')).toBeLessThanOrEqual(0.01);
  });
});

describe('the corpus labels against the live MariaDB', () => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase('osiris_ro_corpus');
  });
  afterAll(() => db?.drop());

  it('every statement labelled a read still parses (PREPARE runs nothing)', async () => {
    const unparsed: string[] = [];
    for (const name of CORPORA) {
      for (const { sql } of load(name).statements.filter((s) => s.label === 'read')) {
        try {
          await db.admin.query('PREPARE osiris_corpus FROM ?', [sql]);
        } catch (error) {
          if ((error as { errno?: number }).errno === 1064) unparsed.push(sql);
        }
      }
    }
    expect(unparsed).toEqual([]);
  });
});
