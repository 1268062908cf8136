import { API_VERSION, defineConnector, registerSecret } from '@osiris/core';
import { type MysqlConfig, mysqlConfigSchema, summarizeConfig } from './config.js';
import { MysqlConnection } from './connection.js';
import { classifyMysqlError } from './errors.js';

/** The `mysql` family: MySQL and MariaDB through pooled mysql2 connections. */
export const mysqlConnector = defineConnector({
  family: 'mysql',
  apiVersion: API_VERSION,
  configSchema: mysqlConfigSchema,
  secrets: ['/password', '/url', '/dsn'],
  capabilities: ['read', 'write', 'discover', 'query'],
  async connect(config: MysqlConfig) {
    // Whoever resolved the config may not have; a driver message must never carry these.
    registerSecret(config.password);
    registerSecret(config.url);
    return new MysqlConnection(config);
  },
  classifyError: (error) => classifyMysqlError(error),
  summarize: summarizeConfig,
});

export default mysqlConnector;

export { type MysqlConfig, mysqlConfigSchema } from './config.js';
export {
  MysqlConnection,
  type MysqlReadRequest,
  type QueryOptions,
  type QueryResult,
} from './connection.js';
export { MYSQL_ERROR_CODES } from './error-codes.js';
export { classifyMysqlError } from './errors.js';
export {
  type ReadOnlyOptions,
  type ReadOnlyRule,
  type ServerFlavor,
  validateReadOnly,
} from './read-only/index.js';
export type { TableSelection } from './sql.js';
export type { ValueMode } from './values.js';
export type { MysqlWriteRequest, MysqlWriteResult, WriteMethod, WriteMode } from './write/index.js';
