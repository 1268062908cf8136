import { ConnectorError, toConnectorError } from '@osiris/core';
import pg from 'pg';
import { quoteValue, splitLongInList } from './filters.js';
import { fieldName } from './pagination.js';
import { readTable } from './read.js';
import type { Builder } from './request.js';
import { databaseError, type SupabaseSession } from './session.js';
import { baseType, type TableInfo } from './table-info.js';

/**
 * The second half of `replace`: remembers the key of every row written, then deletes the rows
 * whose key was not among them. Runs only after every batch was written, so a failed write
 * deletes nothing (the rows it wrote stay upserted). A failed delete says how far it got.
 */
export interface StaleRowRemover {
  /** Notes the key of a written row: its key columns' values in key order, already JSON-safe. */
  keep(key: readonly unknown[]): void;
  /** Deletes every row whose key was not kept; returns how many. */
  deleteStale(signal?: AbortSignal): Promise<number>;
}

/**
 * Key types whose JSON form PostgREST hands back unchanged (up to integer normalisation), so
 * keys can be compared outside the database. Other types (timestamps, numerics…) and composite
 * keys are compared by Postgres itself through `db_url`.
 */
const COMPARABLE = new Map<string, (value: unknown) => string>([
  ['smallint', (v) => BigInt(String(v)).toString()],
  ['integer', (v) => BigInt(String(v)).toString()],
  ['bigint', (v) => BigInt(String(v)).toString()],
  ['text', String],
  ['character varying', String],
  ['uuid', (v) => String(v).toLowerCase()],
]);

export function staleRowRemover(
  session: SupabaseSession,
  table: TableInfo,
  key: readonly string[],
): StaleRowRemover {
  const db = session.database();
  if (db !== undefined) return sqlRemover(session, db, table, key);
  const column = key.length === 1 ? table.columns.find((c) => c.name === key[0]) : undefined;
  const canonical = column === undefined ? undefined : COMPARABLE.get(baseType(column.type));
  if (column === undefined || canonical === undefined) {
    throw new ConnectorError(
      `replace on "${table.name}" needs db_url: its key (${key.join(', ')}) is ${key.length > 1 ? 'composite' : `of type ${column?.type ?? 'unknown'}`}`,
      {
        code: 'REPLACE_NEEDS_DB_URL',
        category: 'config',
        hint: 'Add db_url so Postgres compares the keys itself, or use a single integer, text or uuid key',
      },
    );
  }
  return restRemover(session, table, column.name, canonical);
}

/** Scans the table's keys page by page through the API and deletes the ones not written. */
function restRemover(
  session: SupabaseSession,
  table: TableInfo,
  column: string,
  canonical: (value: unknown) => string,
): StaleRowRemover {
  const kept = new Set<string>();
  return {
    keep: (values) => {
      kept.add(canonical(values[0]));
    },
    async deleteStale(signal) {
      let deleted = 0;
      const keys = readTable(session, { table: table.name, columns: [column], orderBy: column, signal });
      for await (const page of keys) {
        const stale = page.map((row) => row[column]).filter((value) => !kept.has(canonical(value)));
        if (stale.length === 0) continue;
        const list = stale.map((value) => quoteValue(String(value)));
        for (const [filter] of splitLongInList([{ column, op: 'in', text: `(${list.join(',')})`, list }])) {
          const builder = session.client.supabase
            .schema(session.config.schema)
            .from(table.name)
            .delete({ count: 'exact' })
            .filter(fieldName(column), 'in', filter!.text);
          const action = `delete replaced rows of ${table.name}`;
          const result = await session
            .retrying(
              signal,
              (bounded) =>
                session.send(builder as unknown as Builder<null>, { action, table: table.name }, bounded),
              { action },
            )
            .catch((error) => {
              throw deleteFailed(error, table.name, kept.size, `${deleted} of them were deleted before`);
            });
          deleted += result.count ?? 0;
        }
      }
      return deleted;
    },
  };
}

/** Loads the written keys into a temporary table and deletes the others in one transaction. */
function sqlRemover(
  session: SupabaseSession,
  db: pg.Pool,
  table: TableInfo,
  key: readonly string[],
): StaleRowRemover {
  const kept: (readonly unknown[])[] = [];
  const q = pg.escapeIdentifier;
  const target = `${q(session.config.schema)}.${q(table.name)}`;
  const columns = key.map(q).join(', ');
  const keyObject = (values: readonly unknown[]) =>
    Object.fromEntries(key.map((name, i) => [name, values[i]]));
  return {
    keep: (values) => {
      kept.push(values);
    },
    async deleteStale() {
      const client = await db.connect().catch(databaseError);
      try {
        await client.query('BEGIN');
        await client.query(
          `CREATE TEMP TABLE osiris_kept_keys ON COMMIT DROP AS SELECT ${columns} FROM ${target} WITH NO DATA`,
        );
        for (let start = 0; start < kept.length; start += 10_000) {
          // The same JSON → row conversion PostgREST uses, so keys compare exactly as written.
          await client.query(
            'INSERT INTO osiris_kept_keys SELECT * FROM json_populate_recordset(NULL::osiris_kept_keys, $1::json)',
            [JSON.stringify(kept.slice(start, start + 10_000).map(keyObject))],
          );
        }
        const match = key.map((name) => `k.${q(name)} = t.${q(name)}`).join(' AND ');
        const result = await client.query(
          `DELETE FROM ${target} t WHERE NOT EXISTS (SELECT 1 FROM osiris_kept_keys k WHERE ${match})`,
        );
        await client.query('COMMIT');
        return result.rowCount ?? 0;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        try {
          databaseError(error);
        } catch (classified) {
          throw deleteFailed(
            classified,
            table.name,
            kept.length,
            'the delete was rolled back: none were deleted',
          );
        }
      } finally {
        client.release();
      }
    },
  };
}

/** A failed delete of a replace: every row was written; `progress` says which stale rows went. */
function deleteFailed(error: unknown, table: string, written: number, progress: string): ConnectorError {
  const cause = toConnectorError(error);
  return new ConnectorError(
    `${cause.message} — all ${written} rows of this replace into ${table} were written (upserted), but removing the rows not among them failed: ${progress}. Running the replace again finishes it.`,
    {
      code: cause.code,
      category: cause.category,
      hint: cause.hint,
      retryable: cause.retryable,
      details: { ...cause.details, rowsWritten: written, stage: 'delete' },
      cause,
    },
  );
}
