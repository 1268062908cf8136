import { createServer, type Server, type Socket } from 'node:net';

/** A loopback listener the suites point connectors at. */
export interface Listener {
  /** Its port on 127.0.0.1. */
  port: number;
  /** Stops listening and drops every connection it accepted. */
  close(): Promise<void>;
}

/** A loopback port where nothing listens (bound, then released). */
export async function closedPort(): Promise<number> {
  const listener = await listen(createServer());
  await listener.close();
  return listener.port;
}

/** Accepts connections and never answers: what a stuck server or a half-open firewall looks like. */
export function silentListener(): Promise<Listener> {
  return listen(
    createServer((socket) => {
      // Read (and drop) what the client sends, so that its hang-up is noticed.
      socket.resume();
      socket.on('error', () => socket.destroy());
    }),
  );
}

function listen(server: Server): Promise<Listener> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            for (const socket of sockets) socket.destroy();
            server.close(() => done());
          }),
      });
    });
  });
}
