import { ConnectorError } from '@osiris/core';
import { filterLiteral } from './serialize.js';

/** Comparison operators a read filter may use (PostgREST's names). */
export const FILTER_OPS = ['eq', 'neq', 'gt', 'gte', 'lt', 'lte', 'in', 'is', 'like', 'ilike'] as const;

/** One comparison: `{ column: 'age', op: 'gte', value: 18 }`. */
export interface FilterCondition {
  /** Column compared. */
  column: string;
  /** Operator. `in` takes an array, `is` takes null, true or false. */
  op: (typeof FILTER_OPS)[number];
  /** Value compared with. */
  value: unknown;
}

/** Read filters: the original's `{ column: value }` (equality; null means IS NULL) or a list of conditions. */
export type Filters = Record<string, unknown> | readonly FilterCondition[];

/** A condition ready for the URL: `column=op.text`. */
export interface EncodedFilter {
  column: string;
  op: string;
  /** Everything after `op.` in the query string. */
  text: string;
  /** The separate values of an `in` list (quoted), so a long list can be split. */
  list?: string[];
}

const invalidFilter = (message: string, hint: string) =>
  new ConnectorError(message, { code: 'REQUEST_INVALID', category: 'config', hint });

/** PostgREST's reserved characters in lists and logic trees; such values are double-quoted. */
const NEEDS_QUOTES = /[,.:()"\\\s]|^$|^null$/i;

/** A value inside `in.(…)` or `or=(…)`, quoted and escaped where PostgREST's grammar needs it. */
export function quoteValue(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replace(/[\\"]/g, '\\$&')}"` : text;
}

function encodeCondition({ column, op, value }: FilterCondition): EncodedFilter {
  if (typeof column !== 'string' || column === '') {
    throw invalidFilter(
      `A filter has no column (${JSON.stringify(column)})`,
      'Give every filter a column name',
    );
  }
  if (!FILTER_OPS.includes(op)) {
    throw invalidFilter(
      `Unknown filter operator ${JSON.stringify(op)} on "${column}"`,
      `Use one of: ${FILTER_OPS.join(', ')}`,
    );
  }
  if (op === 'in') {
    if (!Array.isArray(value) || value.length === 0) {
      throw invalidFilter(`Filter "${column} in" needs a non-empty array`, 'Pass value: [a, b, …]');
    }
    const list = value.map((item) => (item === null ? 'null' : quoteValue(filterLiteral(item))));
    return { column, op, text: `(${list.join(',')})`, list };
  }
  if (op === 'is') {
    if (value !== null && value !== true && value !== false) {
      throw invalidFilter(`Filter "${column} is" takes null, true or false`, 'Use eq for other values');
    }
    return { column, op, text: String(value) };
  }
  if (value === null || value === undefined) {
    throw invalidFilter(
      `Filter "${column} ${op}" has no value`,
      "Use op 'is' with null to match missing values",
    );
  }
  return { column, op, text: filterLiteral(value) };
}

/** Validates and encodes filters in either accepted shape. */
export function encodeFilters(filters: Filters | undefined): EncodedFilter[] {
  if (filters === undefined) return [];
  if (Array.isArray(filters)) return filters.map(encodeCondition);
  if (typeof filters !== 'object' || filters === null) {
    throw invalidFilter('filters must be an object or a list of { column, op, value }', 'See the README');
  }
  return Object.entries(filters).map(([column, value]) =>
    encodeCondition({ column, op: value === null ? 'is' : 'eq', value }),
  );
}

/** Room left for filters in a request URL: PostgREST behind a gateway fails long URLs (16 KB with headers). */
export const URL_BUDGET = 6000;

/**
 * Splits the longest `in` list so every request's query string stays within `budget`
 * characters; returns one filter set per request (just `filters` when it already fits).
 */
export function splitLongInList(filters: EncodedFilter[], budget = URL_BUDGET): EncodedFilter[][] {
  const size = (set: EncodedFilter[]) =>
    set.reduce(
      (sum, f) =>
        sum + encodeURIComponent(f.column).length + encodeURIComponent(f.text).length + f.op.length + 3,
      0,
    );
  if (size(filters) <= budget) return [filters];
  const longest = filters.reduce<EncodedFilter | undefined>(
    (best, f) =>
      f.list !== undefined && (best === undefined || f.text.length > best.text.length) ? f : best,
    undefined,
  );
  const fixed = size(filters.filter((f) => f !== longest));
  if (longest?.list === undefined || fixed > budget / 2) {
    throw invalidFilter(
      'The filters are too long for one request URL',
      'Shorten them: only one long `in` list can be split across requests',
    );
  }
  const room = budget - fixed;
  const chunks: EncodedFilter[][] = [];
  let chunk: string[] = [];
  let used = 0;
  for (const item of longest.list) {
    const cost = encodeURIComponent(item).length + 3;
    if (chunk.length > 0 && used + cost > room) {
      chunks.push(withList(filters, longest, chunk));
      chunk = [];
      used = 0;
    }
    chunk.push(item);
    used += cost;
  }
  chunks.push(withList(filters, longest, chunk));
  return chunks;
}

function withList(filters: EncodedFilter[], target: EncodedFilter, list: string[]): EncodedFilter[] {
  return filters.map((f) => (f === target ? { ...f, text: `(${list.join(',')})`, list } : f));
}
