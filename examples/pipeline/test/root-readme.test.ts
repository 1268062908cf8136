import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';

// The root README's runner example is src/root-readme-example.ts word for word, so `pnpm typecheck`
// proves it compiles against the packages' real types.
test('the root README runner example is the type-checked file, word for word', async () => {
  const readme = await readFile(new URL('../../../README.md', import.meta.url), 'utf8');
  const example = await readFile(new URL('../src/root-readme-example.ts', import.meta.url), 'utf8');
  expect(readme).toContain(`\`\`\`ts\n${example}\`\`\``);
});
