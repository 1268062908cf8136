import { runReadmeExample } from '@osiris/test-services/readme-example';
import { expect, test } from 'vitest';

test('the README example runs and prints what it says', async () => {
  const { printed, expected } = await runReadmeExample({
    readme: new URL('../README.md', import.meta.url),
    section: '## Example',
    nextSection: '## Config',
    testDir: new URL('./', import.meta.url),
  });
  expect(expected).toHaveLength(7);
  expect(printed).toEqual(expected);
});
