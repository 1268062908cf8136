import type { ColumnInfo, ReadRequestBase, Row, RowBatchStream } from '@osiris/core';
import { decoderFor } from './decode.js';
import { type EncodedFilter, encodeFilters, type Filters, splitLongInList } from './filters.js';
import {
  fieldName,
  keysetCondition,
  normaliseOrder,
  type OrderBy,
  type PagePlan,
  planPages,
} from './pagination.js';
import type { Builder } from './request.js';
import type { SupabaseSession } from './session.js';
import type { TableInfo } from './table-info.js';

/** What to read: a table or view, optionally narrowed, ordered and limited. */
export interface SupabaseReadRequest extends ReadRequestBase {
  /** Table or view name, as in the database. */
  table: string;
  /** Columns to return (default: all). */
  columns?: readonly string[];
  /** `{ column: value }` (equality) or `[{ column, op, value }]` with op eq neq gt gte lt lte in is like ilike. */
  filters?: Filters;
  /** Sort order; the primary key is appended so the order is total. */
  orderBy?: OrderBy;
  /** Declares `orderBy` unique (and non-null), allowing keyset pagination on a table without primary key. */
  uniqueOrder?: boolean;
  /** Most rows to return in all. */
  limit?: number;
}

/** A column the read asks for: its select expression and how to decode its values. */
interface Selected {
  name: string;
  select: string;
  decode?: (value: unknown) => unknown;
  /** Fetched only to move the keyset cursor; removed from the rows. */
  hidden: boolean;
}

function selectColumns(
  table: TableInfo | undefined,
  wanted: readonly string[] | undefined,
  plan: PagePlan,
): Selected[] {
  const names = wanted ?? table?.columns.map((c) => c.name) ?? [];
  const hidden = plan.keyset ? plan.order.map((o) => o.column).filter((name) => !names.includes(name)) : [];
  return [...names, ...hidden].map((name) => {
    const decoder = decoderFor(table?.columns.find((c) => c.name === name));
    const cast = decoder?.cast === undefined ? '' : `::${decoder.cast}`;
    return {
      name,
      select: `${fieldName(name)}${cast}`,
      decode: decoder?.decode,
      hidden: hidden.includes(name),
    };
  });
}

/**
 * Reads every matching row, page by page, never trusting a short page to be the last one:
 * the server silently caps rows per request (`db-max-rows`), so a read ends on an empty page,
 * or on a page shorter than one the server has already returned in full.
 */
export function readTable(session: SupabaseSession, request: SupabaseReadRequest): RowBatchStream {
  const pageSize = request.batchSize ?? session.config.page_size;
  let described: Promise<TableInfo> | undefined;
  const describe = () => {
    described ??= session.describeTable(request.table, request.signal);
    return described;
  };

  async function* batches(): AsyncGenerator<Row[]> {
    const filterSets = splitLongInList(encodeFilters(request.filters));
    const table = await describe();
    const plan = planPages(table, normaliseOrder(request.orderBy), request.uniqueOrder === true);
    const selected = selectColumns(table, request.columns, plan);
    let remaining = request.limit ?? Number.POSITIVE_INFINITY;
    for (const filters of filterSets) {
      for await (const rows of pages(filters, plan, selected, () => remaining)) {
        remaining -= rows.length;
        yield rows;
      }
      if (remaining <= 0) return;
    }
  }

  async function* pages(
    filters: EncodedFilter[],
    plan: PagePlan,
    selected: Selected[],
    remaining: () => number,
  ): AsyncGenerator<Row[]> {
    const select = selected.map((s) => s.select).join(',');
    const decoded = selected.filter((s) => s.decode !== undefined || s.hidden);
    let cursor: string[] | undefined;
    let offset = 0;
    let largestPage = 0;
    const stop = new AbortController();
    const signal = request.signal ? AbortSignal.any([request.signal, stop.signal]) : stop.signal;

    const fetchPage = (ask: number) =>
      session.retrying(signal, () => {
        let query = session.client.supabase.schema(session.config.schema).from(request.table).select(select);
        for (const f of filters) query = query.filter(fieldName(f.column), f.op, f.text);
        if (plan.keyset && cursor !== undefined) {
          const [only] = plan.order;
          query =
            plan.order.length === 1 && only
              ? query.filter(fieldName(only.column), only.descending ? 'lt' : 'gt', cursor[0])
              : query.or(keysetCondition(plan.order, cursor));
        }
        let ordered = query.order(fieldName(plan.order[0]!.column), {
          ascending: !plan.order[0]!.descending,
        });
        for (const o of plan.order.slice(1))
          ordered = ordered.order(fieldName(o.column), { ascending: !o.descending });
        const paged = plan.keyset ? ordered.limit(ask) : ordered.range(offset, offset + ask - 1);
        return session.send(paged as unknown as Builder<Row[]>, {
          action: `read ${request.table}`,
          table: request.table,
        });
      });

    try {
      let ask = Math.min(pageSize, remaining());
      let next = ask > 0 ? fetchPage(ask) : undefined;
      while (next !== undefined) {
        const rows = (await next).data ?? [];
        if (rows.length === 0) return;
        const last = rows[rows.length - 1]!;
        cursor = plan.order.map((o) => String(last[o.column]));
        offset += rows.length;
        const short = rows.length < ask;
        const ended = (short && rows.length < largestPage) || rows.length >= remaining();
        largestPage = Math.max(largestPage, rows.length);
        ask = Math.min(pageSize, remaining() - rows.length);
        // Fetch the next page while the consumer works on this one.
        next = ended ? undefined : fetchPage(ask);
        next?.catch(() => undefined);
        yield decodeRows(rows, decoded);
      }
    } finally {
      stop.abort();
    }
  }

  return {
    async columns(): Promise<readonly ColumnInfo[]> {
      const table = await describe();
      const names = request.columns ?? table.columns.map((c) => c.name);
      return names.map((name) => {
        const meta = table.columns.find((c) => c.name === name);
        return meta === undefined
          ? { name }
          : { name, nativeType: meta.type, nullable: meta.nullable, primaryKey: meta.primaryKey };
      });
    },
    [Symbol.asyncIterator]: () => batches(),
  };
}

function decodeRows(rows: Row[], columns: Selected[]): Row[] {
  if (columns.length === 0) return rows;
  for (const row of rows) {
    for (const column of columns) {
      if (column.hidden) delete row[column.name];
      else if (column.decode !== undefined) row[column.name] = column.decode(row[column.name]);
    }
  }
  return rows;
}
