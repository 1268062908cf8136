export { type AtomicWriteOptions, atomicWriteFile, type FileContent, TEMP_SUFFIX } from './atomic-write.js';
export { compareCodePoints } from './columns.js';
export { type FsConfig, fsConfigSchema } from './config.js';
export { createFsConnection, type FsConnection, fsConnector, fsConnector as default } from './connector.js';
export { compileDateFormat, type DateFormatter } from './csv/date-format.js';
export { CsvEncoder, type CsvFormatOptions, DEFAULT_DATE_FORMAT, type Quoting } from './csv/encoder.js';
export { bytesText, jsonText, parseJson } from './json-text.js';
export { JsonLinesEncoder } from './jsonl/encoder.js';
export type { BadLine, FileFormat, FileSettings, FsReadRequest, FsWriteRequest } from './requests.js';
