import { readFile } from 'node:fs/promises';
import { expect, test } from 'vitest';

// The root README's "Writing a connector" is this folder word for word (the test imports the plugin
// from its own file instead of ../src/index.js), so a connector written from the README alone is the
// one redis.test.ts proves with the testkit against a real Redis.
test("the root README's third-party connector and its testkit file are this folder's, word for word", async () => {
  const readme = await readFile(new URL('../../../../README.md', import.meta.url), 'utf8');
  const connector = await readFile(new URL('./redis-connector.ts', import.meta.url), 'utf8');
  const suite = await readFile(new URL('./redis.test.ts', import.meta.url), 'utf8');
  expect(readme).toContain(`\`\`\`ts\n${connector}\`\`\``);
  expect(readme).toContain(`\`\`\`ts\n${suite.replace("'./redis-connector.js'", "'../src/index.js'")}\`\`\``);
});
