import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCli } from './support/cli.js';
import { createWorkspace, type Workspace } from './support/workspace.js';

let workspace: Workspace;
beforeAll(async () => {
  workspace = await createWorkspace();
});
afterAll(() => workspace.remove());

const run = (...args: string[]) => runCli(args, { cwd: workspace.dir });

describe('help and version', () => {
  test('--help lists every command and the global options, exit 0', async () => {
    const { code, stdout, stderr } = await run('--help');
    expect(code).toBe(0);
    expect(stderr).toBe('');
    for (const command of ['list', 'show <ref>', 'doctor [ref…]', 'plugins', 'schema <family>']) {
      expect(stdout).toContain(command);
    }
    for (const option of ['--config', '--env-file', '--json', '--no-color', '--help', '--version']) {
      expect(stdout).toContain(option);
    }
  });

  test.each([
    ['doctor', ['--family', '--timeout', '--concurrency']],
    ['show', ['<ref>']],
    ['schema', ['<family>']],
  ])('%s --help shows its own usage, options and examples', async (command, expected) => {
    for (const args of [
      [command, '--help'],
      ['--help', command],
      ['help', command],
    ]) {
      const { code, stdout } = await run(...args);
      expect(code).toBe(0);
      expect(stdout).toContain(`Usage: osiris-connections ${command}`);
      expect(stdout).toContain('Examples:');
      for (const text of expected) expect(stdout).toContain(text);
    }
  });

  test('--version and -v print the package version, --json as an object', async () => {
    const { version } = (await import('../package.json', { with: { type: 'json' } })).default;
    expect((await run('--version')).stdout).toBe(`${version}\n`);
    expect((await run('doctor', '-v')).stdout).toBe(`${version}\n`);
    expect(JSON.parse((await run('--version', '--json')).stdout)).toEqual({ version });
  });

  test('no command: the help on stderr, exit 2', async () => {
    const { code, stdout, stderr } = await run();
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain('Usage: osiris-connections <command>');
  });
});

describe('command-line mistakes exit 2 with a hint', () => {
  test.each([
    [['frob'], 'Unknown command "frob"', 'osiris-connections --help'],
    [['list', '--frob'], 'Unknown option --frob', 'osiris-connections list --help'],
    [['list', '--timeout', '5'], 'Unknown option --timeout', 'osiris-connections list --help'],
    [['show'], 'Missing argument: show <ref>', 'osiris-connections show --help'],
    [['show', '@a.b', '@c.d'], 'Unexpected argument for show: @c.d', 'osiris-connections show --help'],
    [['schema'], 'Missing argument: schema <family>', 'osiris-connections schema --help'],
    [['doctor', '--timeout', 'soon'], '--timeout takes a positive integer, got "soon"', 'doctor --help'],
    [['doctor', '--concurrency', '0'], '--concurrency takes a positive integer, got "0"', 'doctor --help'],
    [['list', '--config'], "Option '-c, --config <value>' argument missing", 'list --help'],
  ])('%j', async (args, message, hint) => {
    const { code, stdout, stderr } = await run(...args);
    expect(code).toBe(2);
    expect(stdout).toBe('');
    expect(stderr).toContain(`USAGE: ${message}`);
    expect(stderr).toContain(
      `hint: Run "${hint.startsWith('osiris') ? hint : `osiris-connections ${hint}`}"`,
    );
  });

  test('with --json the mistake is a JSON error on stdout', async () => {
    const { code, stdout, stderr } = await run('doctor', '--timeout', 'soon', '--json');
    expect(code).toBe(2);
    expect(stderr).toBe('');
    expect(JSON.parse(stdout)).toEqual({
      error: {
        code: 'USAGE',
        category: 'config',
        message: '--timeout takes a positive integer, got "soon"',
        hint: 'Run "osiris-connections doctor --help" for usage',
      },
    });
  });

  test('global options may come before or after the command', async () => {
    const config = await workspace.write('elsewhere.yaml', 'connections: {}\n');
    for (const args of [
      ['--config', config, 'list', '--json'],
      ['list', '--json', '-c', config],
    ]) {
      const { code, stdout } = await run(...args);
      expect(code).toBe(0);
      expect(JSON.parse(stdout)).toEqual({ file: config, connections: [] });
    }
  });
});
