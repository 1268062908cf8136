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
export type { Registry } from './contract/registry.js';
export type { ResolvedConnection, Resolver } from './contract/resolver.js';
export { assertValidDefinition, defineConnector } from './define-connector.js';
export {
  type DoctorOptions,
  type DoctorReport,
  type DoctorResult,
  type DoctorSource,
  type DoctorStatus,
  doctor,
} from './doctor.js';
export {
  ConnectorError,
  type ConnectorErrorOptions,
  type ErrorCategory,
  isConnectorError,
  toConnectorError,
} from './errors.js';
export { type LoadConnectorOptions, loadConnector } from './load-connector.js';
export { type ConnectionManager, type ConnectionManagerOptions, createConnectionManager } from './manager.js';
export { MASK, redact, redactDeep, registerSecret } from './redaction.js';
export { createRegistry } from './registry.js';
export { type RetryEvent, type RetryOptions, withRetry } from './retry.js';
