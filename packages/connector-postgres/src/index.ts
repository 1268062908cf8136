/** The `postgres` family: PostgreSQL through pooled pg connections, reading and writing with COPY. */
import { API_VERSION, defineConnector, registerSecret } from '@osiris/core';
import { type PostgresConfig, postgresConfigSchema, summarizeConfig } from './config.js';
import { PostgresConnection } from './connection.js';
import { classifyPostgresError } from './errors.js';

/** The plugin: `@postgres.<alias>` references resolve to a `PostgresConnection`. */
export const postgresConnector = defineConnector({
  family: 'postgres',
  apiVersion: API_VERSION,
  configSchema: postgresConfigSchema,
  secrets: ['/password', '/url'],
  capabilities: ['read', 'write', 'discover', 'query'],
  async connect(config: PostgresConfig) {
    // Whoever resolved the config may not have; a driver message must never carry these.
    registerSecret(config.password);
    registerSecret(config.url);
    return new PostgresConnection(config);
  },
  classifyError: (error) => classifyPostgresError(error),
  summarize: summarizeConfig,
});

export default postgresConnector;

export type { PostgresColumn } from './catalog.js';
export { type PostgresConfig, postgresConfigSchema, type SslMode } from './config.js';
export { PostgresConnection, type PostgresReadRequest, type QueryOptions } from './connection.js';
export { POSTGRES_ERROR_CODES } from './error-codes.js';
export { classifyPostgresError } from './errors.js';
export type { QueryResult } from './query.js';
export { type ReadOnlyRule, validateReadOnly } from './read-only/index.js';
export type { TableSelection } from './sql.js';
export type { PostgresWriteRequest, PostgresWriteResult, WriteMode } from './write/index.js';
