import { connect } from 'node:net';
import { describeConnector } from '@osiris/connector-testkit';
import {
  API_VERSION,
  type CheckReport,
  ConnectorError,
  defineConnector,
  type ErrorCode,
  field,
} from '@osiris/core';
import { describe, test } from 'vitest';
import { z } from 'zod';

/** A tiny family: a server that answers `PING <password>` with a line. */
const ping = defineConnector({
  family: 'ping',
  apiVersion: API_VERSION,
  configSchema: z.strictObject({
    host: field.string().default('127.0.0.1'),
    port: field.integer(),
    password: field.string(),
  }),
  secrets: ['/password'],
  capabilities: [],
  async connect({ host, port, password }) {
    return {
      check: ({ timeoutMs = 5000 } = {}) =>
        new Promise<CheckReport>((resolve, reject) => {
          const socket = connect(port, host, () => socket.write(`PING ${password}\n`));
          const fail = (message: string, code: ErrorCode, category: 'network' | 'timeout', cause?: Error) => {
            socket.destroy();
            reject(new ConnectorError(message, { code, category, cause, hint: 'Is the server up?' }));
          };
          socket.setTimeout(timeoutMs, () =>
            fail(`No answer within ${timeoutMs} ms`, 'OPERATION_TIMEOUT', 'timeout'),
          );
          socket.on('error', (error) =>
            fail(`Cannot reach ${host}:${port}`, 'HOST_UNREACHABLE', 'network', error),
          );
          socket.on('data', (answer) => {
            socket.destroy();
            resolve({ message: answer.toString().trim() });
          });
        }),
      close: async () => {},
    };
  },
});

describeConnector(ping, {
  test: { describe, test },
  // Where the suites point the connector: a closed port, then a server that never answers.
  unreachableConfig: (secret, port) => ({ host: '127.0.0.1', port, password: secret }),
});
