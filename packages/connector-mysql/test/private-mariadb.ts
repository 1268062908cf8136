/**
 * A private `mariadbd` for fault tests: its own data directory, socket and port under a temp dir, so a test
 * may SIGKILL or SIGSTOP it by PID without touching the shared server. `stop()` always leaves no process.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import mysql from 'mysql2/promise';

/** A running private server. */
export interface PrivateMariadb {
  /** TCP port on 127.0.0.1 (user root, no password, database `faults`). */
  port: number;
  /** The server's PID, for kill and stop. */
  pid: number;
  /** Pauses the whole server (SIGSTOP): connections stay open, nothing answers. */
  freeze(): void;
  /** Resumes a frozen server (SIGCONT). */
  thaw(): void;
  /** Kills the server (SIGKILL) mid-whatever, as a crash would. */
  crash(): Promise<void>;
  /** Starts the server again on the same data directory and port (InnoDB recovers what was committed). */
  restart(): Promise<void>;
  /** Kills the server (SIGCONT then SIGKILL) and removes its data directory; safe to call twice. */
  stop(): Promise<void>;
}

const run = promisify(execFile);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Installs a data directory and starts `mariadbd` on it (with `extraArgs`); waits (bounded) until it answers. */
export async function startPrivateMariadb(extraArgs: readonly string[] = []): Promise<PrivateMariadb> {
  const dir = await mkdtemp(join(tmpdir(), 'osiris-mariadbd-'));
  const datadir = join(dir, 'data');
  const asRoot = process.getuid?.() === 0 ? ['--user=root'] : [];
  await run('mariadb-install-db', [
    '--no-defaults',
    `--datadir=${datadir}`,
    '--auth-root-authentication-method=normal',
    '--skip-test-db',
    ...asRoot,
  ]);
  const port = await freePort();
  const args = [
    '--no-defaults',
    `--datadir=${datadir}`,
    `--socket=${join(dir, 'sock')}`,
    `--port=${port}`,
    '--bind-address=127.0.0.1',
    '--innodb-buffer-pool-size=32M',
    '--innodb-log-file-size=16M',
    '--local-infile=1',
    ...asRoot,
    ...extraArgs,
  ];
  let child: ChildProcess;
  let exited: Promise<void>;
  let running = false;
  const launch = async () => {
    child = spawn('mariadbd', args, { stdio: 'ignore' });
    running = true;
    exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    await answering(port);
  };
  const crash = async () => {
    if (!running) return;
    running = false;
    child.kill('SIGCONT');
    child.kill('SIGKILL');
    await exited;
  };
  const stop = async () => {
    await crash();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    await launch();
    const admin = await mysql.createConnection({ host: '127.0.0.1', port, user: 'root' });
    await admin.query('CREATE DATABASE faults');
    await admin.end();
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    port,
    get pid() {
      return child.pid as number;
    },
    freeze: () => child.kill('SIGSTOP'),
    thaw: () => child.kill('SIGCONT'),
    crash,
    restart: async () => {
      await crash();
      await launch();
    },
    stop,
  };
}

/** Waits (bounded: 20 s) until the server on `port` takes a connection. */
async function answering(port: number): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    const admin = await mysql
      .createConnection({ host: '127.0.0.1', port, user: 'root', connectTimeout: 1_000 })
      .catch((error: unknown) => {
        if (attempt >= 100) throw error;
        return undefined;
      });
    if (admin !== undefined) return admin.end();
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
