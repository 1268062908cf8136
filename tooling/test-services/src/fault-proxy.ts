import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** What the proxy does with one request: pass it on, answer a plain gateway 503 or PostgREST's PGRST002 503, or never answer. */
export type Fault = 'pass' | '503' | 'pgrst002' | 'stall';

/** One request as the fault rule sees it. */
export interface FaultRequest {
  method: string;
  url: string;
  /** 1-based count of requests with this method since the rule was set, this one included. */
  nth: number;
}

/** A loopback HTTP proxy in front of an API that fails requests the way a test tells it to. */
export interface FaultProxy {
  /** `http://127.0.0.1:<port>`: give it to the client instead of the API's URL. */
  url: string;
  /** Requests seen, by method. */
  counts: Record<string, number>;
  /** Decides each request's fate from now on (default: pass everything); `nth` counts from here. */
  setFault(rule: (request: FaultRequest) => Fault): void;
  /** Stops listening and drops every connection, stalled ones included. */
  close(): Promise<void>;
}

/**
 * Starts a proxy to `upstream` (an `http://host:port` URL). A `503` is answered without
 * forwarding, with a body that is not PostgREST's (as a load balancer sends it), a `pgrst002` with
 * the body PostgREST sends while its schema cache loads; a `stall`
 * holds the request open without an answer until the client gives up or the proxy closes.
 */
export async function startFaultProxy(upstream: string): Promise<FaultProxy> {
  const target = new URL(upstream);
  let rule: (request: FaultRequest) => Fault = () => 'pass';
  const counts: Record<string, number> = {};
  let sinceRule: Record<string, number> = {};
  const server = http.createServer((req, res) => {
    const method = req.method ?? 'GET';
    counts[method] = (counts[method] ?? 0) + 1;
    sinceRule[method] = (sinceRule[method] ?? 0) + 1;
    const fault = rule({ method, url: req.url ?? '/', nth: sinceRule[method] });
    if (fault === 'stall') {
      req.resume();
      return;
    }
    if (fault === '503' || fault === 'pgrst002') {
      req.resume();
      req.on('end', () => {
        if (fault === '503') {
          res
            .writeHead(503, { 'content-type': 'text/html' })
            .end('<html><body>503 Service Unavailable</body></html>');
        } else {
          res
            .writeHead(503, { 'content-type': 'application/json' })
            .end(
              '{"code":"PGRST002","message":"Could not query the database for the schema cache. Retrying.","details":null,"hint":null}',
            );
        }
      });
      return;
    }
    const forwarded = http.request(
      {
        host: target.hostname,
        port: target.port,
        method,
        path: req.url,
        headers: { ...req.headers, host: target.host },
      },
      (response) => {
        res.writeHead(response.statusCode ?? 502, response.headers);
        response.pipe(res);
      },
    );
    forwarded.on('error', () => res.destroy());
    req.pipe(forwarded);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    counts,
    setFault: (next) => {
      rule = next;
      sinceRule = {};
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
