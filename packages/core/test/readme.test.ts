import { readFile, rm, writeFile } from 'node:fs/promises';
import { format } from 'node:util';
import { expect, test, vi } from 'vitest';
import { tempTree } from './helpers/config.js';

/** The README's example runs as written, and prints what its comments say. */
test('the README example runs and prints what it says', async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const example = readme.slice(readme.indexOf('## Example'), readme.indexOf('## The connections file'));
  const yaml = /```yaml\n([\s\S]*?)```/.exec(example)![1]!;
  const code = /```ts\n([\s\S]*?)```/.exec(example)![1]!;
  const expected = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((match) => match[1]);

  const tree = await tempTree({ 'osiris_connections.yaml': yaml, 'nested/dir/.keep': '' });
  // The example is written next to the tests, so '@osiris/core' and 'zod' resolve as they do for a user.
  const script = new URL(`./readme-example-${process.pid}.generated.ts`, import.meta.url);
  await writeFile(script, code);
  const printed: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...args) => {
    printed.push(format(...args));
  });
  const cwd = process.cwd();
  process.chdir(tree.path('nested/dir'));
  try {
    await import(script.href);
  } finally {
    process.chdir(cwd);
    log.mockRestore();
    await rm(script);
    await tree.remove();
  }
  expect(expected).toHaveLength(5);
  expect(printed).toEqual(expected);
});
