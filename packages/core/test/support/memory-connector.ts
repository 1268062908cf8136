import { connect as openSocket, type Socket } from 'node:net';
import { z } from 'zod';
import {
  API_VERSION,
  type CheckOptions,
  type CheckReport,
  type Connection,
  ConnectorError,
  defineConnector,
  field,
  type ReadRequestBase,
  type Row,
  type RowBatchStream,
  type WriteRequestBase,
  type WriteResult,
} from '../../src/index.js';

/**
 * A connector for core's own tests: a network-shaped config whose check logs in to a memory server
 * (see memory-server.ts) over TCP, and rows kept in memory behind the shared data contract.
 */
const configSchema = z.strictObject({
  host: field.string().default('127.0.0.1'),
  port: field.integer(),
  user: field.string().default('tester'),
  password: field.string(),
});

type MemoryConfig = z.output<typeof configSchema>;

export interface MemoryRead extends ReadRequestBase {
  table: string;
}

export interface MemoryWrite extends WriteRequestBase {
  table: string;
  /** `append` (default) adds rows; `replace` swaps the table's rows for the written ones. */
  mode?: 'append' | 'replace';
}

/** Tables by server address: two connections to one server see the same rows, as with a database. */
const servers = new Map<string, Map<string, Row[]>>();

/** The definition, for tests that build broken variants of it. */
export const memoryDefinition = {
  family: 'memory',
  apiVersion: API_VERSION,
  configSchema,
  secrets: ['/password'],
  capabilities: ['read', 'write'],
  connect: async (config: MemoryConfig) => openMemory(config),
  summarize: (config: MemoryConfig) => `${config.user}@${config.host}:${config.port}`,
};

export const memoryConnector = defineConnector(memoryDefinition);

function openMemory(config: MemoryConfig): Connection<MemoryRead, MemoryWrite> {
  const address = `${config.host}:${config.port}`;
  const tables = servers.get(address) ?? new Map<string, Row[]>();
  servers.set(address, tables);
  const sockets = new Set<Socket>();
  let closed = false;
  const assertOpen = () => {
    if (closed)
      throw new ConnectorError(`Connection to ${address} is closed`, {
        code: 'CONNECTION_CLOSED',
        category: 'internal',
      });
  };

  return {
    async check(options) {
      assertOpen();
      return logIn(config, options, sockets);
    },
    read({ table, batchSize = 1000, signal }) {
      assertOpen();
      return batchesOf(tables, table, batchSize, signal);
    },
    async write({ table, rows, mode = 'append', onProgress, signal }): Promise<WriteResult> {
      assertOpen();
      const started = performance.now();
      const previous = tables.get(table) ?? [];
      const written: Row[] = [];
      let batches = 0;
      for await (const batch of rows) {
        signal?.throwIfAborted();
        written.push(...batch.map((row) => ({ ...row })));
        batches++;
        onProgress?.({ batches, rows: written.length, elapsedMs: performance.now() - started });
      }
      // Rows become visible only once the whole write went through, like a committed transaction.
      tables.set(table, mode === 'replace' ? written : [...previous, ...written]);
      return {
        rowsWritten: written.length,
        rowsInserted: written.length,
        rowsDeleted: mode === 'replace' ? previous.length : 0,
        batches,
        durationMs: performance.now() - started,
      };
    },
    async close() {
      closed = true;
      for (const socket of sockets) socket.destroy();
    },
  };
}

function batchesOf(
  tables: Map<string, Row[]>,
  table: string,
  batchSize: number,
  signal: AbortSignal | undefined,
): RowBatchStream {
  const rows = () => {
    const found = tables.get(table);
    if (found !== undefined) return found;
    throw new ConnectorError(`Table "${table}" does not exist`, {
      code: 'TABLE_NOT_FOUND',
      category: 'not_found',
      hint: `Write to it first; tables: ${[...tables.keys()].join(', ') || 'none'}`,
    });
  };
  return {
    columns: async () => Object.keys(rows()[0] ?? {}).map((name) => ({ name })),
    async *[Symbol.asyncIterator]() {
      const all = rows();
      for (let start = 0; start < all.length; start += batchSize) {
        signal?.throwIfAborted();
        yield all.slice(start, start + batchSize).map((row) => ({ ...row }));
      }
    },
  };
}

/** Sends `AUTH <user> <password>` and waits for `OK <version>` or `DENIED`. */
function logIn(config: MemoryConfig, options: CheckOptions = {}, sockets: Set<Socket>): Promise<CheckReport> {
  const { timeoutMs = 5000, signal } = options;
  const address = `${config.host}:${config.port}`;
  return new Promise((resolve, reject) => {
    const socket = openSocket({ host: config.host, port: config.port });
    sockets.add(socket);
    let answer = '';
    const finish = (outcome: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      sockets.delete(socket);
      socket.destroy();
      outcome();
    };
    const timedOut = (why: string) =>
      new ConnectorError(`No answer from memory server ${address} ${why}`, {
        code: 'OPERATION_TIMEOUT',
        category: 'timeout',
        retryable: true,
        hint: 'Is a memory server listening there?',
      });
    const onAbort = () => finish(() => reject(timedOut('before the check was stopped')));
    const timer = setTimeout(() => finish(() => reject(timedOut(`within ${timeoutMs} ms`))), timeoutMs);
    signal?.addEventListener('abort', onAbort, { once: true });
    if (signal?.aborted) onAbort();

    socket.on('connect', () => socket.write(`AUTH ${config.user} ${config.password}\n`));
    socket.on('data', (chunk) => {
      answer += chunk.toString('utf8');
      if (!answer.includes('\n')) return;
      const [word, version = 'unknown'] = answer.trim().split(' ');
      if (word === 'OK') {
        finish(() => resolve({ message: `memory server ${version} at ${address}`, details: { version } }));
      } else {
        finish(() =>
          reject(
            new ConnectorError(`Memory server ${address} refused the password of user ${config.user}`, {
              code: 'AUTH_FAILED',
              category: 'auth',
              hint: 'Check user and password',
            }),
          ),
        );
      }
    });
    socket.on('error', (error: NodeJS.ErrnoException) =>
      finish(() =>
        reject(
          new ConnectorError(`Cannot reach memory server ${address}: ${error.code ?? error.message}`, {
            code: error.code === 'ECONNREFUSED' ? 'CONNECTION_REFUSED' : 'HOST_UNREACHABLE',
            category: 'network',
            retryable: true,
            hint: 'Check host and port, and that the server is running',
            cause: error,
          }),
        ),
      ),
    );
  });
}
