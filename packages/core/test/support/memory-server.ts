import { createServer, type Server, type Socket } from 'node:net';

/** A running memory server (the other end of memory-connector's check). */
export interface MemoryServer {
  port: number;
  close(): Promise<void>;
}

/**
 * Listens on a free loopback port and answers `AUTH <user> <password>` with `OK <version>` or `DENIED`;
 * a `silent` server accepts connections and never answers.
 */
export async function startMemoryServer(
  options: { user?: string; password?: string; version?: string; silent?: boolean } = {},
) {
  const { user = 'tester', password, version = '1.0', silent = false } = options;
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    if (silent) {
      socket.resume();
      return;
    }
    socket.once('data', (chunk) => {
      const ok = chunk.toString('utf8').trim() === `AUTH ${user} ${password}`;
      socket.end(ok ? `OK ${version}\n` : 'DENIED\n');
    });
  });
  const port = await listen(server);
  return {
    port,
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  } satisfies MemoryServer;
}

function listen(server: Server): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      resolve(typeof address === 'object' && address !== null ? address.port : 0);
    });
  });
}
