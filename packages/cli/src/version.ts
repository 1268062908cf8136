import { readFileSync } from 'node:fs';

/** This package's version, read from its package.json (one file up from dist/ and src/). */
export function cliVersion(): string {
  const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
  return manifest.version as string;
}
