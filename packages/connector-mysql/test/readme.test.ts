import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';
import { expect, test, vi } from 'vitest';
import { useDatabase } from './support.js';

const { db } = useDatabase();

/** The README's example runs as written against a test database, and prints what its comments say. */
test('the README example runs and prints what it says', async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const example = readme.slice(readme.indexOf('## Example'), readme.indexOf('## Config'));
  const yaml = /```yaml\n([\s\S]*?)```/.exec(example)?.[1] as string;
  const code = /```ts\n([\s\S]*?)```/.exec(example)?.[1] as string;
  const expected = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((match) => match[1]);

  const dir = await mkdtemp(join(tmpdir(), 'osiris-mysql-readme-'));
  await writeFile(join(dir, 'osiris_connections.yaml'), yaml);
  // The example is written next to the tests, so the packages resolve as they do for a user.
  const script = new URL(`./readme-example-${process.pid}.generated.ts`, import.meta.url);
  await writeFile(script, code);
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args) => {
    printed.push(format(...args));
  });
  const cwd = process.cwd();
  process.chdir(dir);
  vi.stubEnv('MYSQL_DATABASE_URL', db().url);
  try {
    await import(script.href);
  } finally {
    vi.unstubAllEnvs();
    process.chdir(cwd);
    log.mockRestore();
    await rm(script);
    await rm(dir, { recursive: true, force: true });
  }
  expect(expected).toHaveLength(5);
  expect(printed).toEqual(expected);
});
