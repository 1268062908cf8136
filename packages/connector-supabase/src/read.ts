import {
  type ColumnInfo,
  ConnectorError,
  describeType,
  type LogicalType,
  type ReadRequestBase,
  type Row,
  type RowBatchStream,
  ValueProblem,
} from '@osiris/core';
import { type Decoder, decoderFor } from './decode.js';
import { type EncodedFilter, encodeFilters, type Filters, splitLongInList } from './filters.js';
import {
  fieldName,
  keysetCondition,
  normaliseOrder,
  type OrderBy,
  type PagePlan,
  planPages,
} from './pagination.js';
import { readsAsText } from './postgres-types.js';
import type { Builder } from './request.js';
import type { SupabaseSession } from './session.js';
import { columnInfo, type TableInfo } from './table-info.js';

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
  /** Its logical type, when the table describes the column. */
  type?: LogicalType;
  decode?: Decoder;
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
    const meta = table?.columns.find((c) => c.name === name);
    const asText = meta !== undefined && readsAsText(meta.logicalType, meta.type);
    return {
      name,
      select: `${fieldName(name)}${asText ? '::text' : ''}`,
      type: meta?.logicalType,
      decode: meta === undefined ? undefined : decoderFor(meta.logicalType),
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
        // Instants come back in UTC (PostgREST ≥ 12 honours the preference; other offsets are converted exactly).
        let query = session.client.supabase
          .schema(session.config.schema)
          .from(request.table)
          .select(select)
          .setHeader('Prefer', 'timezone=UTC');
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
        yield decodeRows(rows, decoded, offset - rows.length, request.table);
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
        return meta === undefined ? { name } : columnInfo(meta);
      });
    },
    [Symbol.asyncIterator]: () => batches(),
  };
}

/** Rows of one page as canonical values; `rowsBefore` counts the rows of the read's earlier pages. */
function decodeRows(rows: Row[], columns: Selected[], rowsBefore: number, table: string): Row[] {
  if (columns.length === 0) return rows;
  for (let r = 0; r < rows.length; r++) {
    const row = rows[r]!;
    for (const column of columns) {
      const value = row[column.name];
      if (column.hidden) delete row[column.name];
      else if (column.decode !== undefined && value !== null && value !== undefined) {
        try {
          row[column.name] = column.decode(value);
        } catch (error) {
          if (!(error instanceof ValueProblem)) throw error;
          throw unreadable(error, column, rowsBefore + r + 1, table);
        }
      }
    }
  }
  return rows;
}

/** A stored value the data contract cannot carry exactly (numeric NaN, an infinite or BC timestamp): the read stops. */
function unreadable(problem: ValueProblem, column: Selected, row: number, table: string): ConnectorError {
  const type = column.type === undefined ? 'unknown' : describeType(column.type);
  return new ConnectorError(
    `Supabase read of ${table}: row ${row}, column ${JSON.stringify(column.name)}: the value ${problem.reason} (column type ${type})`,
    {
      code: problem.code,
      category: 'config',
      hint: 'Leave such rows out with a filter, or read the column through a view that casts it to text',
      details: { column: column.name, row, type },
    },
  );
}
