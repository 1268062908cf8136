/**
 * The README error tables: each package's catalogue (core's `CORE_ERROR_CODES`, a connector's
 * `src/error-codes.ts`) rendered between markers in its README. Run it to rewrite them
 * (`pnpm error-tables`); the catalogue test fails while one differs.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CORE_ERROR_CODES, type ErrorCatalogue, errorCodeTable } from '../src/index.js';

/** The repository root. */
export const ROOT = join(import.meta.dirname, '../../..');

const START =
  '<!-- error-codes:start — generated from the catalogue by `pnpm error-tables`; edit the catalogue -->';
const END = '<!-- error-codes:end -->';

/** One package's catalogue and the README that documents it. */
export interface CataloguedPackage {
  /** Package directory relative to the root, e.g. `packages/connector-fs`. */
  dir: string;
  /** The package's table of codes. */
  catalogue: ErrorCatalogue;
}

/** Every package directory of the workspace (packages and examples). */
export function packageDirs(): string[] {
  return ['packages', 'examples'].flatMap((group) =>
    readdirSync(join(ROOT, group), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(ROOT, group, entry.name, 'package.json')))
      .map((entry) => `${group}/${entry.name}`),
  );
}

/** Core and every package with a `src/error-codes.ts`, each with its catalogue (loading it registers it). */
export async function cataloguedPackages(): Promise<CataloguedPackage[]> {
  const own = await Promise.all(
    packageDirs()
      .filter((dir) => existsSync(join(ROOT, dir, 'src/error-codes.ts')))
      .map(async (dir) => {
        const module = (await import(pathToFileURL(join(ROOT, dir, 'src/error-codes.ts')).href)) as Record<
          string,
          unknown
        >;
        const tables = Object.entries(module).filter(([name]) => name.endsWith('_ERROR_CODES'));
        if (tables.length !== 1)
          throw new Error(`${dir}/src/error-codes.ts must export one *_ERROR_CODES table`);
        return { dir, catalogue: tables[0]![1] as ErrorCatalogue };
      }),
  );
  return [{ dir: 'packages/core', catalogue: CORE_ERROR_CODES }, ...own];
}

/** The README text with its generated table replaced by the catalogue's; throws when the markers are missing. */
export function withTable(readme: string, catalogue: ErrorCatalogue, dir: string): string {
  const start = readme.indexOf(START);
  const end = readme.indexOf(END);
  if (start === -1 || end < start) throw new Error(`${dir}/README.md lacks the markers:\n${START}\n${END}`);
  return `${readme.slice(0, start + START.length)}\n${errorCodeTable(catalogue)}\n${readme.slice(end)}`;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  for (const { dir, catalogue } of await cataloguedPackages()) {
    const path = join(ROOT, dir, 'README.md');
    const text = readFileSync(path, 'utf8');
    const next = withTable(text, catalogue, dir);
    if (next !== text) {
      writeFileSync(path, next);
      console.log(`updated ${dir}/README.md`);
    }
  }
}
