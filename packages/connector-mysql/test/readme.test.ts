import { runReadmeExample } from '@osiris/test-services/readme-example';
import { expect, test } from 'vitest';
import { useDatabase } from './support.js';

const { db } = useDatabase();

test('the README example runs against a test database and prints what it says', async () => {
  const { printed, expected } = await runReadmeExample({
    readme: new URL('../README.md', import.meta.url),
    section: '## Example',
    nextSection: '## Config',
    testDir: new URL('./', import.meta.url),
    env: { MYSQL_DATABASE_URL: db().url },
  });
  expect(expected).toHaveLength(5);
  expect(printed).toEqual(expected);
});
