import http from 'node:http';
import type { AddressInfo } from 'node:net';

const PREFIX = '/rest/v1';

/**
 * Serves PostgREST (which answers at `/`) under `/rest/v1`, where supabase-js looks for it.
 * `close()` refuses new connections and drops open ones, so a client sees the API go away
 * exactly as when a real endpoint dies; `listen()` brings it back on the same port.
 */
export interface PrefixProxy {
  /** Loopback port the proxy listens on. */
  port: number;
  /** Starts (again) on `port`. */
  listen(): Promise<void>;
  /** Stops listening and destroys every open connection. */
  close(): Promise<void>;
}

/**
 * `latencyMs` holds each request back that long before it goes on to PostgREST, as the network
 * between a client and a hosted project would (benchmarks use it; tests leave it at 0).
 */
export async function startPrefixProxy(upstreamPort: () => number, latencyMs = 0): Promise<PrefixProxy> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const forward = (req: http.IncomingMessage, res: http.ServerResponse, path: string) => {
    const upstream = http.request(
      { host: '127.0.0.1', port: upstreamPort(), method: req.method, path, headers: req.headers, agent },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    // PostgREST is down: drop the client's connection rather than invent an HTTP status.
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  };
  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    const rest = url.startsWith(PREFIX) ? url.slice(PREFIX.length) : undefined;
    if (rest === undefined || !(rest === '' || rest.startsWith('/') || rest.startsWith('?'))) {
      res.writeHead(404, { 'content-type': 'application/json' }).end('{"message":"not under /rest/v1"}');
      return;
    }
    const path = rest.startsWith('/') ? rest : `/${rest}`;
    if (latencyMs > 0) setTimeout(() => forward(req, res, path), latencyMs);
    else forward(req, res, path);
  });
  server.keepAliveTimeout = 30_000;
  let port = 0;
  const proxy: PrefixProxy = {
    get port() {
      return port;
    },
    listen: () =>
      new Promise<void>((resolve, reject) => {
        if (server.listening) return resolve();
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => {
          server.off('error', reject);
          port = (server.address() as AddressInfo).port;
          resolve();
        });
      }),
    close: () =>
      new Promise<void>((resolve) => {
        if (!server.listening) return resolve();
        server.close(() => resolve());
        server.closeAllConnections();
        agent.destroy();
      }),
  };
  await proxy.listen();
  return proxy;
}
