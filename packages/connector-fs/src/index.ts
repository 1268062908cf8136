export { type AtomicWriteOptions, atomicWriteFile, type FileContent, TEMP_SUFFIX } from './atomic-write.js';
export { compareCodePoints } from './columns.js';
export { type FsConfig, fsConfigSchema } from './config.js';
export { createFsConnection, type FsConnection, fsConnector, fsConnector as default } from './connector.js';
export { compileDateFormat, type DateFormatter } from './csv/date-format.js';
export { CsvEncoder, type CsvFormatOptions, type Quoting } from './csv/encoder.js';
export { parseJson } from './json-parse.js';
export { bytesText, jsonText } from './json-text.js';
export { JsonLinesEncoder } from './jsonl/encoder.js';
export type {
  BadLine,
  FileDialect,
  FileFormat,
  FileSettings,
  FsReadRequest,
  FsWriteRequest,
} from './requests.js';
export { descriptorPath, type TableSchema, type TableSchemaField } from './table-schema.js';
