import { connect } from 'node:net';
import { API_VERSION, type CheckOptions, ConnectorError, defineConnector, field } from '@osiris/core';
import { z } from 'zod';

const configSchema = z.strictObject({
  host: field.string().default('localhost'),
  port: field.integer().default(6379),
  password: z.string().optional(),
});

/** Sends commands in one round trip and resolves to one reply line each (`+PONG`, `-WRONGPASS …`). */
function send(config: z.output<typeof configSchema>, commands: string[][], options: CheckOptions) {
  const { timeoutMs = 5000, signal } = options;
  return new Promise<string[]>((resolve, reject) => {
    const socket = connect(config.port, config.host);
    const fail = (error: unknown) => {
      socket.destroy();
      reject(error);
    };
    const timeout = () =>
      new ConnectorError(`No answer from ${config.host}:${config.port} within ${timeoutMs} ms`, {
        code: 'OPERATION_TIMEOUT',
        category: 'timeout',
        hint: 'Is this port a Redis server?',
      });
    socket.setTimeout(timeoutMs, () => fail(timeout()));
    signal?.addEventListener('abort', () => fail(signal.reason), { once: true });
    socket.on('error', fail); // a raw driver error: classifyError below decides what it is
    let text = '';
    socket.on('data', (chunk) => {
      text += chunk.toString('utf8');
      const lines = text.split('\r\n').slice(0, -1);
      if (lines.length < commands.length) return;
      socket.end();
      resolve(lines);
    });
    const resp = (args: string[]) =>
      `*${args.length}\r\n${args.map((arg) => `$${Buffer.byteLength(arg)}\r\n${arg}\r\n`).join('')}`;
    socket.write(commands.map(resp).join(''));
  });
}

export default defineConnector({
  family: 'redis', // ^[a-z][a-z0-9_-]*$, used in references: @redis.cache
  apiVersion: API_VERSION,
  configSchema,
  secrets: ['/password'],
  capabilities: [],
  summarize: (config) => `${config.host}:${config.port}`,
  // Lazy: nothing is opened here, so connect() can never hang on a server.
  async connect(config) {
    return {
      async check(options = {}) {
        const auth = config.password === undefined ? [] : [['AUTH', config.password]];
        const replies = await send(config, [...auth, ['PING']], options);
        const refused = replies.find((reply) => reply.startsWith('-'));
        if (refused !== undefined) {
          throw new ConnectorError(`Redis refused: ${refused.slice(1)}`, {
            code: 'AUTH_FAILED',
            category: 'auth',
            hint: 'Check password',
          });
        }
        return { message: `redis at ${config.host}:${config.port}` };
      },
      async close() {}, // nothing stays open between checks
    };
  },
  classifyError: (error) =>
    (error as { code?: string }).code === 'ECONNREFUSED'
      ? new ConnectorError('Connection refused', {
          code: 'CONNECTION_REFUSED',
          category: 'network',
          hint: 'Check host and port',
          cause: error,
        })
      : undefined,
});
