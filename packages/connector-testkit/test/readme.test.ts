import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';

test('the README example is readme-example.test.ts, word for word, so it runs as written', async () => {
  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const example = await readFile(new URL('./readme-example.test.ts', import.meta.url), 'utf8');
  expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
});
