/**
 * One `COPY … FROM STDIN` on a session: text written with backpressure, finished once the server has the
 * rows, or failed with CopyFail (the server then discards everything the COPY received).
 */
import { once } from 'node:events';
import copyStreams from 'pg-copy-streams';
import type { Session } from '../session.js';

/** An open COPY FROM STDIN. */
export interface CopyIn {
  /** Sends text; resolves when the stream can take more. */
  send(text: string): Promise<void>;
  /** Ends the COPY; resolves with the rows the server took. */
  finish(): Promise<number>;
  /** Abandons the COPY (CopyFail); resolves once the server answered, so the session can go on. */
  fail(): Promise<void>;
}

/**
 * Text the stream holds before `send` waits. Well above one batch, so the next batch is encoded while the server
 * (on the other core) still parses this one, instead of each side waiting for the other.
 */
const BUFFERED_BYTES = 8 * 2 ** 20;

/** Starts `COPY <target> FROM STDIN` on the session. */
export function copyIn(session: Session, statement: string): CopyIn {
  const stream = session.client.query(copyStreams.from(statement, { highWaterMark: BUFFERED_BYTES }));
  let error: unknown;
  stream.on('error', (failure) => (error ??= failure));
  const abandon = () => void stream.destroy(new Error('osiris: write abandoned'));
  session.signal.addEventListener('abort', abandon, { once: true });
  const settled = () => session.signal.removeEventListener('abort', abandon);
  return {
    async send(text) {
      if (error !== undefined) throw error;
      if (!stream.write(text)) await drainedOrClosed(stream);
      if (error !== undefined) throw error;
    },
    async finish() {
      settled();
      stream.end();
      await once(stream, 'finish');
      return stream.rowCount;
    },
    async fail() {
      settled();
      if (stream.destroyed) return;
      const closed = once(stream, 'close').catch(() => undefined);
      stream.destroy(new Error('osiris: write refused before sending this batch'));
      await closed;
    },
  };
}

/** Resolves at the stream's next `drain` or `close`, leaving no listener behind (a write waits here per batch). */
function drainedOrClosed(stream: NodeJS.WritableStream): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      stream.off('drain', done);
      stream.off('close', done);
      resolve();
    };
    stream.on('drain', done);
    stream.on('close', done);
  });
}
