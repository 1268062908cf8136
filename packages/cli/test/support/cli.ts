import { spawn } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const packageDir = fileURLToPath(new URL('../..', import.meta.url));

/** The built binary, exactly as a user runs it. */
export const BIN = join(packageDir, 'bin', 'osiris-connections.js');

/** The tests run the build: fail clearly when it is missing or older than the sources. */
function assertFreshBuild(): void {
  const built = join(packageDir, 'dist', 'main.js');
  const rebuild = 'Run `pnpm --filter @osiris/cli build` (`pnpm test` builds first).';
  if (!existsSync(built)) throw new Error(`The CLI is not built. ${rebuild}`);
  // tsc -b leaves unchanged outputs alone but always rewrites its build info.
  const builtAt = statSync(join(packageDir, 'tsconfig.tsbuildinfo')).mtimeMs;
  const sources = readdirSync(join(packageDir, 'src'), { recursive: true, encoding: 'utf8' });
  const stale = sources.filter(
    (file) => file.endsWith('.ts') && statSync(join(packageDir, 'src', file)).mtimeMs > builtAt,
  );
  if (stale.length > 0) throw new Error(`The CLI build is older than ${stale.join(', ')}. ${rebuild}`);
}
assertFreshBuild();

/** What one run of the binary did. */
export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  cwd: string;
  /** Variables on top of PATH and HOME (the test's own environment is not passed on). */
  env?: Record<string, string | undefined>;
  /** Flags for node itself, before the script (`--import …`). */
  nodeArgs?: string[];
}

/** Runs `osiris-connections …args` in a child process and collects its output. */
export function runCli(
  args: readonly string[],
  { cwd, env = {}, nodeArgs = [] }: RunOptions,
): Promise<CliRun> {
  const childEnv: Record<string, string> = {};
  for (const [name, value] of Object.entries({ PATH: process.env.PATH, HOME: process.env.HOME, ...env })) {
    if (value !== undefined) childEnv[name] = value;
  }
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, BIN, ...args], { cwd, env: childEnv });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
  });
}
