/**
 * Cancels the statement a backend is running, the way libpq's PQcancel does: a CancelRequest on a connection
 * of its own (the busy connection cannot carry it), naming the backend's process id and secret key.
 */
import { connect } from 'node:net';

/** The protocol's CancelRequest code (1234 << 16 | 5678). */
const CANCEL_REQUEST_CODE = 80_877_102;

/** Where the backend runs and the keys it gave at login (pg's `processID` / `secretKey`). */
export interface BackendKey {
  /** Server host. */
  host: string;
  /** Server port. */
  port: number;
  /** Backend process id. */
  processID: number;
  /** Secret the backend handed out at startup. */
  secretKey: number;
}

/** Sends the cancel request; resolves once the server closed that connection (it never answers), or after `timeoutMs`. */
export function cancelBackend(key: BackendKey, timeoutMs = 5_000): Promise<void> {
  const packet = Buffer.alloc(16);
  packet.writeInt32BE(16, 0);
  packet.writeInt32BE(CANCEL_REQUEST_CODE, 4);
  packet.writeInt32BE(key.processID, 8);
  packet.writeInt32BE(key.secretKey, 12);
  return new Promise((resolve) => {
    const socket = connect({ host: key.host, port: key.port });
    const done = () => {
      clearTimeout(timer);
      socket.destroy();
      resolve();
    };
    const timer = setTimeout(done, timeoutMs);
    socket.once('connect', () => socket.end(packet));
    socket.once('close', done);
    socket.once('error', done);
  });
}
