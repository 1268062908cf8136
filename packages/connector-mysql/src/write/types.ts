/** The public shape of a MySQL write: its request, its result, the modes and the transports. */
import type { Row, WriteRequestBase, WriteResult } from '@osiris/core';

/** How rows meet what the table already holds. */
export type WriteMode = 'append' | 'replace' | 'upsert';

/** How rows travel: multi-row INSERTs, `LOAD DATA LOCAL INFILE`, or the latter when the server allows it. */
export type WriteMethod = 'auto' | 'insert' | 'load-data';

/** A write into a MySQL table. */
export interface MysqlWriteRequest<R extends Row = Row> extends WriteRequestBase<R> {
  /** Table in the connection's database. */
  table: string;
  /** `append` (default) adds rows; `upsert` inserts or updates by key; `replace` swaps in the new content atomically. */
  mode?: WriteMode;
  /** Key columns: the primary key of a created table (default: the source's key columns), the columns an upsert leaves alone. */
  primaryKey?: string | readonly string[];
  /** Create the table from the columns' logical types (declared, the source's, or the first batch's) when it does not exist. */
  createIfMissing?: boolean;
  /** Rows per INSERT statement (default 1,000; fewer when max_allowed_packet says so). */
  batchSize?: number;
  /** Transport (default `auto`: LOAD DATA for append/replace when the server allows LOCAL INFILE). */
  method?: WriteMethod;
}

/** What a MySQL write did; `method` says which path ran. */
export interface MysqlWriteResult extends WriteResult {
  /** `insert` or `load-data`. */
  method: 'insert' | 'load-data';
}
