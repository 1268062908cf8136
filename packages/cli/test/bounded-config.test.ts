import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './support/cli.js';
import { createWorkspace, type Workspace } from './support/workspace.js';

let workspace: Workspace;
beforeAll(async () => {
  workspace = await createWorkspace();
});
afterAll(() => workspace.remove());

const alias = 'connections:\n  filesystem:\n    out:\n';

/** Files that used to hang the CLI, flood its output or end in an INTERNAL stack trace. */
const HOSTILE: Record<string, () => string> = {
  '2,000 lines each indented one more space': () =>
    `${alias}      nest:\n${Array.from({ length: 2000 }, (_, i) => `${' '.repeat(8 + i)}k:\n`).join('')}`,
  '19,000 aliases': () =>
    `x-v: &v abc\n${alias}      base_dir: ./o\n      list:\n${'        - *v\n'.repeat(19_000)}`,
  'a 10 MB plain value': () => `${alias}      base_dir: ${'y'.repeat(10_000_000)}\n`,
  'a 300 KB plain value': () => `${alias}      base_dir: ${'y'.repeat(300_000)}\n`,
  'a syntax error on a 1 MB line': () => `${alias}      base_dir: [${'x'.repeat(1_000_000)}\n`,
  '5,000 nested brackets': () => `${alias}      base_dir: ${'['.repeat(5000)}${']'.repeat(5000)}\n`,
};

describe('a hostile connections file: exit 2 with a short CONFIG_ error naming the line, never a stack', () => {
  test.each(Object.keys(HOSTILE))('%s', async (name) => {
    const config = await workspace.write('hostile.yaml', HOSTILE[name]!());
    for (const command of ['list', 'doctor']) {
      const { code, stdout, stderr } = await runCli([command, '--config', config], { cwd: workspace.dir });
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(stderr).toMatch(/^✗ CONFIG_(INVALID|PARSE): /);
      expect(stderr).toMatch(/at hostile\.yaml:\d+:\d+$/m);
      expect(stderr).not.toMatch(/INTERNAL|\.[cm]?[jt]s:\d+|node:internal/);
      expect(stderr.length).toBeLessThan(2000);
    }
  });
});
