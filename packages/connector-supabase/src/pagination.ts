import { ConnectorError } from '@osiris/core';
import { quoteValue } from './filters.js';
import type { TableInfo } from './table-info.js';

/** One column of a sort order. */
export interface OrderColumn {
  /** Column sorted on. */
  column: string;
  /** Descending instead of ascending. */
  descending?: boolean;
}

/** A sort order as a request may spell it: `'name'`, `'-created_at'`, `{ column, descending }`, or a list. */
export type OrderBy = string | OrderColumn | ReadonlyArray<string | OrderColumn>;

/** How a read walks through a table. */
export interface PagePlan {
  /** The order every page is fetched in: total, so pages neither skip nor repeat rows. */
  order: OrderColumn[];
  /** Keyset (`WHERE key > last`) when the order is unique and non-null; else ordered offset. */
  keyset: boolean;
}

/** Types Postgres cannot sort (offset pagination leaves them out of the tie-breaking order). */
const UNSORTABLE = /^(json|xml|point|line|lseg|box|path|polygon|circle)$|\[\]$/;

export function normaliseOrder(orderBy: OrderBy | undefined): OrderColumn[] {
  if (orderBy === undefined) return [];
  const list =
    typeof orderBy === 'string' || !Array.isArray(orderBy) ? [orderBy as string | OrderColumn] : orderBy;
  return list.map((item) => {
    if (typeof item === 'string') {
      return item.startsWith('-') ? { column: item.slice(1), descending: true } : { column: item };
    }
    if (item === null || typeof item !== 'object' || typeof item.column !== 'string') {
      throw new ConnectorError(`Invalid orderBy entry ${JSON.stringify(item)}`, {
        code: 'REQUEST_INVALID',
        category: 'config',
        hint: "Write orderBy as 'column', '-column' (descending) or { column, descending }",
      });
    }
    return { column: item.column, descending: item.descending === true };
  });
}

/**
 * Makes the order total (primary key, else every sortable column, appended as tie-breakers)
 * and chooses keyset pagination when the order is unique (it holds the key, or the caller
 * says so) and none of its columns can be null.
 */
export function planPages(
  table: TableInfo | undefined,
  requested: OrderColumn[],
  uniqueOrder: boolean,
): PagePlan {
  const order = [...requested];
  const has = (name: string) => order.some((o) => o.column === name);
  const key = table?.primaryKey ?? [];
  const tieBreakers =
    key.length > 0 ? key : (table?.columns ?? []).filter((c) => !UNSORTABLE.test(c.type)).map((c) => c.name);
  for (const column of tieBreakers) if (!has(column)) order.push({ column });
  if (order.length === 0) {
    throw new ConnectorError(`Cannot page through "${table?.name ?? '?'}": no column to order by is known`, {
      code: 'REQUEST_INVALID',
      category: 'config',
      hint: 'Pass orderBy with a unique column (and uniqueOrder: true), or give the table a primary key',
    });
  }
  const nullable = (name: string) => table?.columns.find((c) => c.name === name)?.nullable ?? !uniqueOrder;
  return { order, keyset: (uniqueOrder || key.length > 0) && order.every((o) => !nullable(o.column)) };
}

/** A column name as PostgREST's query grammar reads it (quoted when it is not a plain identifier). */
export function fieldName(name: string): string {
  return /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) ? name : `"${name.replace(/"/g, '""')}"`;
}

/**
 * The `or=(…)` tree for "after this row" in a multi-column order:
 * `a > x OR (a = x AND b > y) OR …`, with `<` for descending columns.
 */
export function keysetCondition(order: OrderColumn[], cursor: readonly string[]): string {
  const branches = order.map((o, i) => {
    const equal = order.slice(0, i).map((p, j) => `${fieldName(p.column)}.eq.${quoteValue(cursor[j]!)}`);
    const step = `${fieldName(o.column)}.${o.descending ? 'lt' : 'gt'}.${quoteValue(cursor[i]!)}`;
    return equal.length === 0 ? step : `and(${[...equal, step].join(',')})`;
  });
  return branches.join(',');
}
