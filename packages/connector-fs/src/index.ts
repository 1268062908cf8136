export { type AtomicWriteOptions, atomicWriteFile, type FileContent } from './atomic-write.js';
export { type FsConfig, fsConfigSchema } from './config.js';
export { createFsConnection, type FsConnection, fsConnector, fsConnector as default } from './connector.js';
export { compileDateFormat, type DateFormatter } from './csv/date-format.js';
export { FS_ERROR_CODES } from './error-codes.js';
export type { FileRowStream } from './file-rows.js';
export { parseJson } from './json-parse.js';
export { bytesText, jsonText } from './json-text.js';
export type {
  BadLine,
  FileDialect,
  FileFormat,
  FileSettings,
  FsReadRequest,
  FsWriteRequest,
} from './requests.js';
export { descriptorPath, type TableSchema, type TableSchemaField } from './table-schema.js';
export { TEMP_SUFFIX } from './temp-files.js';
