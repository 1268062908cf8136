import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throwaway directory holding a connections file and whatever else a test writes. */
export interface Workspace {
  dir: string;
  /** Absolute path of `name` inside the workspace. */
  path(name: string): string;
  /** Writes a file (creating its directories). */
  write(name: string, content: string): Promise<string>;
  remove(): Promise<void>;
}

export async function createWorkspace(
  files: Record<string, string> = {},
  parent = tmpdir(),
): Promise<Workspace> {
  const dir = await mkdtemp(join(parent, 'osiris-cli-'));
  const workspace: Workspace = {
    dir,
    path: (name) => join(dir, name),
    async write(name, content) {
      const file = join(dir, name);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, content);
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
  for (const [name, content] of Object.entries(files)) await workspace.write(name, content);
  return workspace;
}

/** A loopback port where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const server = await listen(createServer());
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A listener that accepts connections and never says a word: checks against it must time out. */
export async function silentServer(): Promise<{ port: number; close(): Promise<void> }> {
  const sockets = new Set<import('node:net').Socket>();
  const server = await listen(
    createServer((socket) => {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }),
  );
  return {
    port: (server.address() as { port: number }).port,
    close: () =>
      new Promise((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

function listen(server: Server): Promise<Server> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}
