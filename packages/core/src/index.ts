export { field } from './config-fields.js';
export type { CheckOptions, CheckReport, Connection } from './contract/connection.js';
export {
  API_VERSION,
  type Capability,
  type ConnectContext,
  type ConnectorDefinition,
  type ConnectorPlugin,
} from './contract/connector.js';
export type {
  ColumnInfo,
  DiscoveredResource,
  ReadRequestBase,
  Row,
  RowBatchStream,
  RowSource,
  WriteProgress,
  WriteRequestBase,
  WriteResult,
} from './contract/data.js';
export { assertValidDefinition, defineConnector } from './define-connector.js';
export {
  ConnectorError,
  type ConnectorErrorOptions,
  type ErrorCategory,
  isConnectorError,
  toConnectorError,
} from './errors.js';
export { MASK, redact, redactDeep, registerSecret } from './redaction.js';
