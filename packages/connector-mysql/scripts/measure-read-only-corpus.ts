/**
 * Measures the read-only guard on labelled public SQL: `tsx scripts/measure-read-only-corpus.ts DIR` reads every
 * `corpus-*.json` in DIR (made by extract-read-only-corpus.py, then label-read-only-corpus.ts) and prints, per
 * corpus, the writes the guard lets through (must be none) and the share of plain reads it refuses (target ≤ 1%).
 * The corpora are extracted from other projects' repositories, so they are rebuilt locally, never committed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectorError } from '@osiris/core';
import { validateReadOnly } from '../src/read-only/index.js';

interface Corpus {
  source: string;
  statements: Array<{ sql: string; label: 'read' | 'write'; command: string }>;
}

function refusal(sql: string): string | undefined {
  try {
    validateReadOnly(sql, { server: 'mariadb' });
    return undefined;
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    return String(error.details?.rule);
  }
}

const dir = process.argv[2];
if (dir === undefined) throw new Error('usage: tsx scripts/measure-read-only-corpus.ts DIR');
let failed = false;
for (const file of readdirSync(dir).filter((name) => /^corpus-.*\.json$/.test(name))) {
  const corpus = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Corpus;
  const reads = corpus.statements.filter((s) => s.label === 'read');
  const writes = corpus.statements.filter((s) => s.label === 'write');
  const passed = writes.filter((s) => refusal(s.sql) === undefined);
  const refused = reads.filter((s) => refusal(s.sql) !== undefined);
  const share = reads.length === 0 ? 0 : refused.length / reads.length;
  failed ||= passed.length > 0 || share > 0.01;
  console.log(
    `${file} (${corpus.source}): ${writes.length} writes, ${passed.length} allowed; ${reads.length} reads, ${refused.length} refused (${(share * 100).toFixed(2)} %)`,
  );
  for (const s of passed) console.log(`  write allowed: ${s.command}: ${s.sql.slice(0, 160)}`);
  for (const s of refused) console.log(`  read refused (${refusal(s.sql)}): ${s.sql.slice(0, 160)}`);
}
process.exitCode = failed ? 1 : 0;
