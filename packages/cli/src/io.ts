/** A stream the CLI prints to; `isTTY` decides colour and progress output. */
export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** Everything the CLI touches outside itself, so tests and embedders can pass their own. */
export interface Io {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

/** A reader that went away (`osiris-connections list | head`) is not an error worth a stack trace. */
function ignoreClosedPipe(error: NodeJS.ErrnoException): void {
  if (error.code !== 'EPIPE') throw error;
}

/** The running process's streams, environment and working directory. */
export function processIo(): Io {
  process.stdout.on('error', ignoreClosedPipe);
  process.stderr.on('error', ignoreClosedPipe);
  return { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() };
}
