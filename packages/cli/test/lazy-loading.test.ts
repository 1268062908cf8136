import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './support/cli.js';
import { createWorkspace, type Workspace } from './support/workspace.js';

const TRACER = fileURLToPath(new URL('./support/trace-imports.mjs', import.meta.url));

let workspace: Workspace;
beforeAll(async () => {
  workspace = await createWorkspace({
    'fs-only.yaml': 'connections:\n  filesystem:\n    out:\n      base_dir: ./out\n',
    'mixed.yaml':
      'connections:\n  filesystem:\n    out:\n      base_dir: ./out\n  mysql:\n    main:\n      host: 127.0.0.1\n  supabase:\n    api:\n      url: http://127.0.0.1:9\n      key: k\n',
  });
});
afterAll(() => workspace.remove());

/** The module URLs a run of the CLI resolved. */
async function importsOf(args: string[], name: string): Promise<string[]> {
  const trace = workspace.path(`${name}.trace`);
  const run = await runCli(args, {
    cwd: workspace.dir,
    env: { OSIRIS_TRACE_IMPORTS: trace },
    nodeArgs: ['--import', TRACER],
  });
  expect(run.stderr).toBe('');
  return (await readFile(trace, 'utf8')).split('\n').filter(Boolean);
}

const loads = (imports: string[], fragment: string) => imports.some((url) => url.includes(fragment));

describe('start-up loads only what the command needs', () => {
  test('--help and --version load neither core nor any connector', async () => {
    for (const args of [['--help'], ['doctor', '--help'], ['--version']]) {
      const imports = await importsOf(args, args.join('_'));
      expect(loads(imports, '/cli/dist/main.js')).toBe(true);
      for (const heavy of ['/core/', 'zod', 'yaml', 'connector-', 'mysql2', '@supabase']) {
        expect(loads(imports, heavy), `${args.join(' ')} loads ${heavy}`).toBe(false);
      }
    }
  });

  test('doctor of a filesystem-only file loads the filesystem connector and no driver', async () => {
    const imports = await importsOf(['doctor', '--config', 'fs-only.yaml'], 'doctor-fs');
    expect(loads(imports, 'connector-fs')).toBe(true);
    for (const driver of ['connector-mysql', 'mysql2', 'connector-supabase', '@supabase']) {
      expect(loads(imports, driver), `loads ${driver}`).toBe(false);
    }
  });

  test.each([
    ['one reference', ['@filesystem.out']],
    ['--family', ['--family', 'filesystem']],
  ])('doctor of %s loads only that family, even in a file with others', async (name, args) => {
    const imports = await importsOf(['doctor', ...args, '--config', 'mixed.yaml'], `doctor-${name}`);
    expect(loads(imports, 'connector-fs')).toBe(true);
    expect(loads(imports, 'mysql2')).toBe(false);
    expect(loads(imports, '@supabase')).toBe(false);
  });

  test('(control) the whole mixed file does load both drivers, so the tracer sees them', async () => {
    const imports = await importsOf(['list', '--config', 'mixed.yaml'], 'list-mixed');
    expect(loads(imports, 'mysql2')).toBe(true);
    expect(loads(imports, '@supabase')).toBe(true);
  });
});
