import { runReadmeExample } from '@osiris/test-services/readme-example';
import { expect, test } from 'vitest';

test('the README example runs from a nested directory and prints what it says', async () => {
  const { printed, expected } = await runReadmeExample({
    readme: new URL('../README.md', import.meta.url),
    section: '## Example',
    nextSection: '## The connections file',
    testDir: new URL('./', import.meta.url),
    cwd: 'nested/dir',
  });
  expect(expected).toHaveLength(5);
  expect(printed).toEqual(expected);
});
