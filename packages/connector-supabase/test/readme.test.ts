import { usesExternalSupabase } from '@osiris/test-services';
import { runReadmeExample } from '@osiris/test-services/readme-example';
import { expect, test } from 'vitest';
import { useSupabase } from './support.js';

const { service } = useSupabase();

// The README names its table `customers`: on a shared project the suites only touch prefixed tables.
test.runIf(!usesExternalSupabase())(
  'the README example runs against a real PostgREST and prints what it says',
  async () => {
    await service().sql(
      `CREATE TABLE customers (id bigint PRIMARY KEY, name text, signed_up timestamptz DEFAULT now())`,
    );
    await service().reloadSchema();
    const { printed, expected } = await runReadmeExample({
      readme: new URL('../README.md', import.meta.url),
      section: '## Example',
      nextSection: '## Config',
      testDir: new URL('./', import.meta.url),
      env: { SUPABASE_URL: service().url, SUPABASE_SERVICE_ROLE_KEY: service().serviceRoleKey },
    });
    expect(expected).toHaveLength(3);
    expect(printed).toEqual(expected);
  },
);
