import { mkdir } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import {
  API_VERSION,
  type Connection,
  ConnectorError,
  type DiscoveredResource,
  defineConnector,
  type WriteColumn,
  type WriteResult,
} from '@osiris/core';
import { type AtomicWriteOptions, atomicWriteFile, type FileContent } from './atomic-write.js';
import { badLineHandler } from './bad-lines.js';
import { checkBaseDir } from './check.js';
import { type FsConfig, fsConfigSchema } from './config.js';
import { csvDecoder } from './csv/decoder.js';
import { CsvEncoder } from './csv/encoder.js';
import {
  byteHash,
  checkedChunks,
  readDescriptor,
  removeOwnDescriptor,
  writeDescriptor,
} from './descriptor-file.js';
import { discoverFiles, subFolder } from './discover.js';
import { fileBytes } from './file-bytes.js';
import { type FileRowStream, fileRows, type RecordDecoder } from './file-rows.js';
import { fsError } from './fs-errors.js';
import { jsonLinesDecoder } from './jsonl/decoder.js';
import { JsonLinesEncoder } from './jsonl/encoder.js';
import { readTyping } from './read-plan.js';
import {
  type FsReadRequest,
  type FsWriteRequest,
  nodeEncoding,
  readSettings,
  writeSettings,
} from './requests.js';
import { createSandbox } from './sandbox.js';
import { tableSchema } from './table-schema.js';
import { rowsAsBytes } from './write-rows.js';

/** A connection to the files under one base directory. */
export interface FsConnection extends Connection<FsReadRequest, FsWriteRequest> {
  /** Streams the rows of a CSV or JSON Lines file in batches (row objects; `positional()` for the fast lane). */
  read(request: FsReadRequest): FileRowStream;
  /** Writes rows to a CSV or JSON Lines file, replacing it atomically. */
  write(request: FsWriteRequest): Promise<WriteResult>;
  /** Files under base_dir (or only under its sub-folder `path`) with size, format, columns and estimated rows. */
  discover(options?: { path?: string }): Promise<DiscoveredResource[]>;
  /**
   * A file's bytes in chunks, streaming, for bulk loaders that parse the file themselves (MySQL's LOAD
   * DATA); the file is closed when the loop ends, fails or is left.
   */
  readBytes(path: string, options?: { signal?: AbortSignal }): AsyncGenerator<Buffer>;
  /** Replaces a file with bytes, text or chunks of either, atomically; resolves to the bytes written. */
  atomicWrite(path: string, content: FileContent, options?: AtomicWriteOptions): Promise<number>;
  /** Creates a directory (and its parents) under base_dir; resolves to its real absolute path. */
  ensureDir(path: string): Promise<string>;
}

/** The `filesystem` family: sandboxed files, crash-safe atomic writes, deterministic CSV and JSON Lines. */
export const fsConnector = defineConnector({
  family: 'filesystem',
  apiVersion: API_VERSION,
  configSchema: fsConfigSchema,
  capabilities: ['read', 'write', 'discover'],
  summarize: (config) => config.base_dir,
  connect: async (config, context) => createFsConnection(config, context.configDir),
});

/**
 * Opens a `filesystem` connection from a validated config (what `fsConnector.connect` does); a
 * relative base_dir is relative to `configDir`, the connections file's folder.
 */
export function createFsConnection(config: FsConfig, configDir = process.cwd()): FsConnection {
  const sandbox = createSandbox(resolve(configDir, config.base_dir));
  // Closing the connection aborts what is in flight: writes leave their target as it was.
  const lifetime = new AbortController();
  const signalFor = (signal?: AbortSignal) => {
    if (lifetime.signal.aborted) throw lifetime.signal.reason;
    return signal === undefined ? lifetime.signal : AbortSignal.any([signal, lifetime.signal]);
  };

  /** The real path of a file about to be written, its directory created when the config allows. */
  async function writablePath(path: string): Promise<string> {
    const file = await sandbox.resolve(path);
    if (config.create_dirs) {
      await mkdir(dirname(file), { recursive: true }).catch((error) => {
        throw fsError(error, 'create the directory of', path);
      });
    }
    return file;
  }

  function read(request: FsReadRequest): FileRowStream {
    const settings = readSettings(config, request);
    const onBadLine = badLineHandler(settings.on_bad_lines, settings.path, request.onWarning);
    // The descriptor is looked for when the read starts, as the file is opened.
    const decoder: RecordDecoder = {
      async *batches(chunks, onColumns) {
        const descriptor = settings.table_schema
          ? await readDescriptor(settings.path, await sandbox.resolve(settings.path), sandbox)
          : undefined;
        const typing = readTyping(settings.columns, descriptor);
        // What the request leaves open (delimiter, header, encoding) follows how the file was written.
        const own = descriptor === undefined ? settings : readSettings(config, request, descriptor.dialect);
        const format =
          own.format === 'csv'
            ? csvDecoder(own, onBadLine, typing)
            : jsonLinesDecoder(own, onBadLine, typing);
        const checked =
          descriptor?.sha256 === undefined ? chunks : checkedChunks(chunks, descriptor, settings.path);
        yield* format.batches(checked, onColumns);
      },
    };
    return fileRows(decoder, {
      file: () => sandbox.resolve(settings.path),
      path: settings.path,
      limit: settings.limit,
      signal: signalFor(request.signal),
    });
  }

  return {
    check: async (options = {}) =>
      checkBaseDir(sandbox.baseDir, config.create_dirs, { ...options, signal: signalFor(options.signal) }),

    read,

    async write(request) {
      const started = performance.now();
      const settings = writeSettings(config, request);
      const signal = signalFor(request.signal);
      const file = await writablePath(settings.path);
      const csv = settings.format === 'csv';
      const encoding = nodeEncoding(settings.encoding);
      let batches = 0;
      let rowsWritten = 0;
      let columns: readonly WriteColumn[] = [];
      let fastLane = false;
      const dateFormat = csv ? settings.date_format : undefined;
      const bytes = rowsAsBytes(request, {
        encoder: csv ? new CsvEncoder(settings) : new JsonLinesEncoder(),
        encoding,
        header: csv && settings.header,
        sortColumns: settings.sort_columns,
        ignoreExtraColumns: settings.on_extra_columns === 'ignore',
        sink: `file ${settings.path}`,
        dateFormat:
          dateFormat === undefined ? undefined : { pattern: dateFormat, timezone: settings.timezone },
        onColumns: (fixed, lane) => {
          columns = fixed;
          fastLane = lane;
        },
        onBatch: (batchesSoFar, rowsSoFar) => {
          batches = batchesSoFar;
          rowsWritten = rowsSoFar;
          request.onProgress?.({ batches, rows: rowsWritten, elapsedMs: performance.now() - started });
        },
      });
      if (!settings.table_schema) {
        await atomicWriteFile(file, bytes, { signal });
        await removeOwnDescriptor(file);
      } else {
        // Data first, then its descriptor, which names the data's size and hash (see descriptor-file.ts).
        const hashed = byteHash();
        const size = await atomicWriteFile(file, bytes, { signal, onBytes: hashed.update });
        const dialect = csv
          ? { delimiter: settings.delimiter, header: settings.header, encoding: settings.encoding }
          : { encoding: settings.encoding };
        const format = { format: settings.format, nullText: settings.null_value, dateFormat, dialect };
        await writeDescriptor(
          file,
          tableSchema(columns, { ...format, bytes: size, sha256: hashed.digest() }),
        );
      }
      return {
        rowsWritten,
        batches,
        durationMs: Math.round(performance.now() - started),
        method: settings.format,
        fastLane,
      };
    },

    discover: async (options = {}) =>
      discoverFiles({
        root: sandbox.baseDir,
        under: options.path === undefined ? '' : await subFolder(sandbox, options.path),
        header: config.header,
        read: (path) => read({ path, batchSize: 1, on_bad_lines: 'skip' }),
      }),

    readBytes: (path, options = {}) =>
      fileBytes({ file: () => sandbox.resolve(path), path, signal: signalFor(options.signal) }),

    async atomicWrite(path, content, options = {}) {
      const signal = signalFor(options.signal);
      return atomicWriteFile(await writablePath(path), content, { ...options, signal });
    },

    async ensureDir(path) {
      signalFor();
      const directory = await sandbox.resolve(path);
      await mkdir(directory, { recursive: true }).catch((error) => {
        throw fsError(error, 'create the directory', path);
      });
      return directory;
    },

    async close() {
      if (!lifetime.signal.aborted) lifetime.abort(closedError());
    },
  };
}

function closedError(): ConnectorError {
  return new ConnectorError('The filesystem connection is closed', {
    code: 'CONNECTION_CLOSED',
    category: 'internal',
    hint: 'Open a new connection; close() ends every read and write of this one',
  });
}
