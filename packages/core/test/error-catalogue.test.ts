import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, test } from 'vitest';
import { cataloguedPackages, packageDirs, ROOT, withTable } from '../scripts/error-tables.js';
import {
  CORE_ERROR_CODES,
  ConnectorError,
  catalogedErrorCodes,
  defineErrorCodes,
  type ErrorCatalogue,
  errorCodeEntry,
} from '../src/index.js';

/**
 * Literals after `code:` that are not ConnectorError codes: errors shaped like a driver's or Node's, so
 * that the code under test classifies them as it would the real thing.
 */
const FOREIGN_CODES: Record<string, string> = {
  PROTOCOL_CONNECTION_LOST: "mysql2's own code, on the error connector-mysql raises to end a stalled socket",
  OSIRIS_BAD_LINE: "a Node process warning's code (connector-fs on_bad_lines: 'warn'), not an error",
};

const CODE_LITERAL = /['"]([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)['"]/g;

/** Every `.ts` file under `dir`. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => join(entry.parentPath, entry.name));
}

interface CodeUse {
  /** `path:line` of the use. */
  where: string;
  /** The code literal. */
  code: string;
  /** The category literal right after it in the same object, when there is one. */
  category?: string;
}

/** The code literals of `code:` properties (each branch of a `?:` or `??` included) in `text`. */
export function codeUses(text: string, file: string): CodeUse[] {
  const uses: CodeUse[] = [];
  for (const match of text.matchAll(/\bcode:\s*([^,\n}]+)(,\s*category:\s*'([a-z_]+)')?/g)) {
    const line = text.slice(0, match.index).split('\n').length;
    for (const [, code] of match[1]!.matchAll(CODE_LITERAL)) {
      uses.push({ where: `${file}:${line}`, code: code!, category: match[3] });
    }
  }
  return uses;
}

let packages: Array<{ dir: string; catalogue: ErrorCatalogue }>;
let known: Set<string>;
let uses: CodeUse[];

beforeAll(async () => {
  packages = await cataloguedPackages();
  known = new Set(catalogedErrorCodes());
  const dirs = [...packageDirs(), 'tooling/test-services'].map((dir) => join(ROOT, dir, 'src'));
  uses = dirs.flatMap((dir) =>
    sources(dir).flatMap((path) => codeUses(readFileSync(path, 'utf8'), relative(ROOT, path))),
  );
});

describe('the error catalogue', () => {
  test('every code literal in every package source is catalogued (core or the package’s own)', () => {
    expect(uses.length).toBeGreaterThan(150);
    const uncatalogued = uses
      .filter(({ code }) => !known.has(code) && !(code in FOREIGN_CODES))
      .map(({ where, code }) => `${where} ${code}`);
    expect(uncatalogued).toEqual([]);
  });

  test('a category written beside a code is the catalogue’s (call sites cannot drift)', () => {
    const drifted = uses
      .filter(({ code, category }) => category !== undefined && known.has(code))
      .filter(({ code, category }) => errorCodeEntry(code)?.category !== category)
      .map(
        ({ where, code, category }) =>
          `${where} ${code}: ${category}, catalogue ${errorCodeEntry(code)?.category}`,
      );
    expect(drifted).toEqual([]);
  });

  test('the scan sees a code it does not know', () => {
    const text = "throw new ConnectorError('x', {\n  code: cold ? 'MADE_UP_CODE' : 'MISSING_ENV',\n});";
    expect(codeUses(text, 'x.ts').map(({ code }) => code)).toEqual(['MADE_UP_CODE', 'MISSING_ENV']);
    expect(known.has('MADE_UP_CODE')).toBe(false);
  });

  test('every package that throws codes of its own declares them, and no two declare the same', () => {
    const owners = new Map<string, string>();
    for (const { dir, catalogue } of packages) {
      for (const code of Object.keys(catalogue)) {
        expect(owners.get(code), `${code} in ${dir}`).toBeUndefined();
        owners.set(code, dir);
      }
    }
    expect(new Set(owners.keys())).toEqual(known);
  });

  test('no code is used only by the catalogue: each is raised (or documented as raised) somewhere', () => {
    const used = new Set(uses.map(({ code }) => code));
    const raisedElsewhere = ['INTERNAL', 'STEP_FAILED'];
    const unused = [...known].filter((code) => !used.has(code) && !raisedElsewhere.includes(code));
    expect(unused).toEqual([]);
  });

  test('a connector cannot give one of core’s codes another meaning', () => {
    expect(() =>
      defineErrorCodes('some-connector', {
        // @ts-expect-error: core owns MISSING_ENV
        MISSING_ENV: { category: 'network', retryable: true, meaning: 'the server is missing' },
      }),
    ).toThrow(/MISSING_ENV, which @osiris\/core already owns/);
    expect(errorCodeEntry('MISSING_ENV')).toMatchObject({ category: 'config', owner: '@osiris/core' });
  });

  test('the catalogue gives an error its category and retryable default; a throw site may override retryable', () => {
    const lost = new ConnectorError('dropped', { code: 'CONNECTION_LOST' });
    expect(lost).toMatchObject({ category: 'network', retryable: true });
    const final = new ConnectorError('dropped during COMMIT', { code: 'CONNECTION_LOST', retryable: false });
    expect(final.retryable).toBe(false);
    // @ts-expect-error: an uncatalogued code does not compile
    expect(new ConnectorError('x', { code: 'NOT_IN_ANY_CATALOGUE' }).category).toBe('internal');
  });

  test('constraint violations are conflicts, not config mistakes', () => {
    expect(CORE_ERROR_CODES.DUPLICATE_KEY.category).toBe('conflict');
    expect(CORE_ERROR_CODES.DEADLOCK.category).toBe('conflict');
  });
});

describe('the README error tables', () => {
  test('each catalogued package’s README shows its catalogue as generated (pnpm error-tables)', () => {
    for (const { dir, catalogue } of packages) {
      const readme = readFileSync(join(ROOT, dir, 'README.md'), 'utf8');
      expect(readme, `${dir}/README.md: run pnpm error-tables`).toBe(withTable(readme, catalogue, dir));
    }
  });

  test('every code in the code column of a README table is catalogued', () => {
    const readmes = ['README.md', ...packageDirs().map((dir) => `${dir}/README.md`)];
    const stale = readmes.flatMap((path) =>
      codeColumnCells(readFileSync(join(ROOT, path), 'utf8'))
        .flatMap((cell) => [...cell.matchAll(/`([A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*)`/g)].map(([, code]) => code!))
        .filter((code) => !known.has(code))
        .map((code) => `${path}: ${code}`),
    );
    expect(stale).toEqual([]);
  });
});

/** The cells under a header named `code` (or `error code`) in the Markdown tables of `text`. */
function codeColumnCells(text: string): string[] {
  const cells: string[] = [];
  let column = -1;
  for (const line of text.split('\n')) {
    if (!line.startsWith('|')) {
      column = -1;
      continue;
    }
    const row = line.split('|').map((cell) => cell.trim());
    if (column === -1) column = row.findIndex((cell) => /^(error )?code$/.test(cell));
    else if (!/^-+$/.test(row[column] ?? '')) cells.push(row[column] ?? '');
  }
  return cells;
}
