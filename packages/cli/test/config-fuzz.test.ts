import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { mutatedConnectionsFile } from '../../core/test/helpers/connections-fuzz.js';
import { createWorkspace, type Workspace } from './support/workspace.js';

let workspace: Workspace;
beforeAll(async () => {
  workspace = await createWorkspace();
});
afterAll(() => workspace.remove());

const SEED = `version: 1
x-db: &db
  host: 127.0.0.1
  username: app
connections:
  mysql:
    main:
      <<: *db
      database: sales
      password: \${PW}
      default: true
  supabase:
    api:
      url: http://127.0.0.1:9/
      key: \${KEY:-k}
  filesystem:
    out:
      base_dir: ./out
`;

/** Runs the CLI in this process (a spawned binary per case would take minutes) and keeps what it printed. */
async function run(args: string[]) {
  const { main } = await import('../dist/main.js');
  let stdout = '';
  let stderr = '';
  const io = {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { PW: 'pw' },
    cwd: workspace.dir,
  };
  const code: number = await main(args, io);
  return { code, stdout, stderr };
}

describe('fuzzed connections files through the CLI', () => {
  test('list and show exit 0 or 2, never 1 with an INTERNAL stack', async () => {
    await fc.assert(
      fc.asyncProperty(mutatedConnectionsFile(SEED), async (source) => {
        const config = await workspace.write('fuzzed.yaml', source);
        for (const args of [['list'], ['show', '@mysql']]) {
          const { code, stderr } = await run([...args, '--config', config]);
          expect(stderr).not.toContain('INTERNAL');
          expect([0, 2], stderr).toContain(code);
          expect(stderr.length).toBeLessThan(4000);
        }
      }),
      // A case that hangs fails after 5 s (the hangs this guards against took 10 s to minutes).
      { numRuns: 150, timeout: 5000 },
    );
  });
});
