import type {
  DiscoveredResource,
  ReadRequestBase,
  Row,
  RowBatchStream,
  WriteRequestBase,
  WriteResult,
} from './data.js';

/** Limits a health check must honour. */
export interface CheckOptions {
  /** Give up (with a `timeout` error) after this long. */
  timeoutMs?: number;
  /** Aborted when the caller stops waiting. */
  signal?: AbortSignal;
}

/** What a successful check found. A failed check throws a `ConnectorError` instead. */
export interface CheckReport {
  /** One line for a person, e.g. `MariaDB 10.11.19, database app`. */
  message: string;
  /** Facts such as server version, TLS cipher, free space (never a secret). */
  details?: Record<string, unknown>;
}

/** A live connection (or pool) to one configured system. Optional members follow the plugin's capabilities. */
export interface Connection<
  TRead extends ReadRequestBase = ReadRequestBase,
  TWrite extends WriteRequestBase = WriteRequestBase,
> {
  /**
   * Proves the system answers with these credentials; throws a categorised `ConnectorError` otherwise
   * (anything else it throws goes through the plugin's `classifyError`). Changes nothing on the system.
   */
  check(options?: CheckOptions): Promise<CheckReport>;
  /** Streams rows out as batches. */
  read?(request: TRead): RowBatchStream<Row>;
  /** Consumes batches of rows and says what it did. */
  write?(request: TWrite): Promise<WriteResult>;
  /** Lists what can be read or written. */
  discover?(): Promise<DiscoveredResource[]>;
  /** Releases everything the connection holds, without waiting on the server. Calling it again does nothing. */
  close(): Promise<void>;
}
