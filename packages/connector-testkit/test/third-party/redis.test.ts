import { describeConnector } from '@osiris/connector-testkit';
import { describe, test } from 'vitest';
import plugin from './redis-connector.js';

describeConnector(plugin, {
  test: { describe, test },
  unreachableConfig: (secret, port) => ({ host: '127.0.0.1', port, password: secret }),
  // A real server for the close suite (port REDIS_PORT, else Redis's default).
  workingConfig: () => ({ host: '127.0.0.1', port: Number(process.env.REDIS_PORT ?? 6379) }),
});
