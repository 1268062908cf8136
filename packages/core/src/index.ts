export type {
  AliasEntry,
  ConnectionsFile,
  Env,
  FamilyEntry,
  FieldSource,
  ParsedConnections,
  RawValue,
} from './config/connections-file.js';
export { CONNECTIONS_FILE_NAME } from './config/find-connections-file.js';
export { interpolate } from './config/interpolation.js';
export { type LoadConnectionsOptions, loadConnections } from './config/load-connections.js';
export { parseConnections } from './config/parse-connections.js';
export { type ParsedReference, parseReference } from './config/references.js';
export { createResolver, type ResolverOptions } from './config/resolver.js';
export { configJsonSchema, field } from './config-fields.js';
export {
  addCommand,
  connectorPackages,
  installCommand,
  type PackageManagerOptions,
} from './connector-packages.js';
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
  PositionalBatch,
  ReadRequestBase,
  Row,
  RowBatchStream,
  RowSource,
  WriteProgress,
  WriteRequestBase,
  WriteResult,
} from './contract/data.js';
export type { Registry } from './contract/registry.js';
export type {
  ConfigWarning,
  ConnectionResolver,
  ExplainedConnection,
  RawConnection,
  ResolvedConnection,
  Resolver,
  SourceLocation,
  ValueOrigin,
  VariableUse,
} from './contract/resolver.js';
export type {
  BooleanType,
  BytesType,
  CanonicalValue,
  DateTimeType,
  DateType,
  DecimalType,
  EnumType,
  FloatType,
  IntegerType,
  JsonType,
  LogicalKind,
  LogicalType,
  SetType,
  StringType,
  TimestampType,
  TimeType,
} from './contract/types.js';
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
  CORE_ERROR_CODES,
  type CodesOf,
  type CoreErrorCode,
  catalogedErrorCodes,
  defineErrorCodes,
  type ErrorCatalogue,
  type ErrorCategory,
  type ErrorCode,
  type ErrorCodeEntry,
  type ErrorCodeRegistry,
  errorCodeEntry,
  errorCodeTable,
} from './error-catalogue.js';
export {
  ConnectorError,
  type ConnectorErrorOptions,
  isConnectorError,
  toConnectorError,
} from './errors.js';
export { type LoadConnectorOptions, loadConnector } from './load-connector.js';
export { type ConnectionManager, type ConnectionManagerOptions, createConnectionManager } from './manager.js';
export { MASK, redact, redactDeep, registerSecret } from './redaction.js';
export { createRegistry } from './registry.js';
export { type RetryEvent, type RetryOptions, withRetry } from './retry.js';
export { type RowBatchStreamOptions, rowBatchStream } from './row-batch-stream.js';
export { type MaskOptions, maskConfig } from './secrets/mask.js';
export { isSecretField, isSecretName } from './secrets/secret-names.js';
export { type TimeoutOptions, withTimeout } from './timeout.js';
export { type Canonicalizer, canonicalizer, numberText, ValueProblem } from './values/canonical.js';
export { decimalText } from './values/decimal-text.js';
export { describeType } from './values/describe.js';
export { typeFits } from './values/fits.js';
export { inferType, keysOf, type WriteColumn, type WriteColumnsInput, writeColumns } from './values/infer.js';
export { positionalStream, rowObjects } from './values/positional-stream.js';
export { typeUnsupported, type ValuePlace, valueRejected } from './values/rejection.js';
export {
  type PositionalConverter,
  positionalConverter,
  positionsOf,
  type RowConverter,
  rowConverter,
  type SinkColumn,
} from './values/row-converter.js';
export { type SinkInput, type SinkInputOptions, sinkInput } from './values/sink-input.js';
export { fromText, toText } from './values/text-form.js';
