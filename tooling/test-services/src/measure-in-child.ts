import { spawn } from 'node:child_process';

/**
 * Runs one benchmark measurement in its own Node process (so its peak RSS is its own) and resolves to
 * the JSON value on the last line it prints. `args` follow the node executable: flags, script, arguments.
 */
export function measureInChild<T>(args: readonly string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
    let output = '';
    child.stdout.on('data', (chunk) => {
      output += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(output.trim().split('\n').at(-1) as string) as T)
        : reject(new Error(`${args.join(' ')} exited with ${code}`)),
    );
  });
}
