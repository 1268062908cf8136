/**
 * Turns a write's positional batches into request-body JSON against the target table's logical types: every
 * value is checked (core's positionalConverter, zero work where the source's type fits) and encoded
 * (serialize.ts) straight from the arrays before any request of its batch is sent, so a value that would not
 * arrive exactly refuses the batch with a ConnectorError naming row, column and type.
 */
import {
  ConnectorError,
  type PositionalBatch,
  type PositionalConverter,
  positionalConverter,
  type Row,
  type RowConverter,
  rowConverter,
  type SinkColumn,
  ValueProblem,
  valueRejected,
  type WriteColumn,
} from '@osiris/core';
import { type Encoder, encoderFor, jsonSafe } from './serialize.js';
import type { ColumnMeta, TableInfo } from './table-info.js';

/** One source batch, ready for request bodies. */
export interface EncodedBatch {
  /** The columns of its rows, in order: the write's columns, then keys row objects added in this or an earlier batch. */
  names: readonly string[];
  /** Each row as a JSON object. */
  json: string[];
  /** Per row, the positions in `names` it leaves out (they take the column default); undefined when every row sets every column. */
  leftOut: (number[] | undefined)[] | undefined;
  /** Per row, the values of the `remembered` columns in a form JSON.stringify keeps (what `replace` keeps of the keys). */
  remembered: unknown[][] | undefined;
}

/**
 * Encodes one source batch: its rows as positional canonical values in the write's column order, and, when they
 * came from row objects, those objects (to tell a key left out from null). `rowsBefore` counts earlier rows.
 */
export type RowEncoder = (
  values: PositionalBatch,
  objects: readonly Row[] | undefined,
  rowsBefore: number,
) => EncodedBatch;

const NULL_REFUSED = new ValueProblem('VALUE_INVALID', 'is null, which a NOT NULL column refuses');

/**
 * The encoder for writing `columns` (the write's, from core's sinkInput) into `table`. A key no column of the
 * table has is refused before anything is sent. Null is written as null; only a row object can leave a key out
 * (absent or undefined), and then the column takes its default.
 */
export function rowEncoder(
  table: TableInfo,
  columns: readonly WriteColumn[],
  remembered: readonly string[] = [],
): RowEncoder {
  const sink = `Supabase table ${table.name}`;
  const byName = new Map(table.columns.map((column) => [column.name, column]));
  const metaOf = (name: string) => byName.get(name) ?? unknownColumn(table, name);
  // The NOT NULL check is the encoder's own (below): only it knows a left-out key from a null.
  const sinkColumn = (meta: ColumnMeta, source?: WriteColumn): SinkColumn => ({
    name: meta.name,
    target: meta.logicalType,
    source: source?.described ? source.type : undefined,
    nativeType: meta.type,
  });
  const own = columns.map((column) => metaOf(column.name));
  const convert: PositionalConverter = positionalConverter(
    own.map((meta, c) => sinkColumn(meta, columns[c])),
    sink,
  );
  // Keys of row objects that are none of the write's columns (a later batch may set a column the first left out).
  let added: ColumnMeta[] = [];
  let convertAdded: RowConverter = () => [];
  let names: readonly string[] = [];
  let metas: ColumnMeta[] = [];
  let encoders: Encoder[] = [];
  let opening: string[] = [];
  let following: string[] = [];
  let rememberedAt: number[] = [];
  const use = (extra: readonly ColumnMeta[]) => {
    added = [...added, ...extra];
    convertAdded = rowConverter(
      added.map((meta) => sinkColumn(meta)),
      sink,
    );
    metas = [...own, ...added];
    names = metas.map((meta) => meta.name);
    encoders = metas.map((meta) => encoderFor(meta.logicalType, meta.type));
    opening = names.map((name) => `{${JSON.stringify(name)}:`);
    following = names.map((name) => `,${JSON.stringify(name)}:`);
    rememberedAt = remembered.map((name) => names.indexOf(name));
  };
  use([]);
  const known = new Set(names);

  return (values, objects, rowsBefore) => {
    if (objects !== undefined) {
      const extra = newKeys(objects, known).map(metaOf);
      if (extra.length > 0) use(extra);
    }
    convert(values, rowsBefore);
    if (objects !== undefined && added.length > 0) {
      const more = convertAdded(objects, rowsBefore);
      for (let r = 0; r < values.length; r++) (values[r] as unknown[]).push(...(more[r] as unknown[]));
    }
    const all = names.length;
    const json: string[] = new Array(values.length);
    let leftOut: (number[] | undefined)[] | undefined;
    for (let r = 0; r < values.length; r++) {
      const row = values[r]!;
      let text = '';
      for (let c = 0; c < all; c++) {
        const value = row[c] ?? null;
        let cell = 'null';
        if (value === null) {
          if (objects !== undefined && isLeftOut(objects[r]!, names[c]!)) {
            leftOut ??= new Array(values.length);
            const left = leftOut[r];
            if (left === undefined) leftOut[r] = [c];
            else left.push(c);
            continue;
          }
          if (!metas[c]!.nullable) throw rejected(NULL_REFUSED, metas[c]!, rowsBefore + r + 1, sink);
        } else {
          try {
            cell = encoders[c]!(value);
          } catch (error) {
            if (!(error instanceof ValueProblem)) throw error;
            throw rejected(error, metas[c]!, rowsBefore + r + 1, sink);
          }
        }
        text += (text === '' ? opening[c] : following[c]) + cell;
      }
      json[r] = text === '' ? '{}' : `${text}}`;
    }
    return {
      names,
      json,
      leftOut,
      remembered:
        remembered.length === 0
          ? undefined
          : values.map((row) => rememberedAt.map((at) => jsonSafe(at < 0 ? null : (row[at] ?? null)))),
    };
  };
}

/** Whether a row object leaves `name` out: no own key of that name, or the value undefined. */
function isLeftOut(object: Row, name: string): boolean {
  return !Object.hasOwn(object, name) || object[name] === undefined;
}

/** Keys the rows set that are not `known` yet (adds them to it). */
function newKeys(rows: readonly Row[], known: Set<string>): string[] {
  const found: string[] = [];
  for (const row of rows) {
    for (const key in row) {
      if (!known.has(key) && row[key] !== undefined) {
        known.add(key);
        found.push(key);
      }
    }
  }
  return found;
}

function rejected(problem: ValueProblem, meta: ColumnMeta, row: number, sink: string): ConnectorError {
  return valueRejected(
    problem,
    { column: meta.name, row, type: meta.logicalType, nativeType: meta.type },
    sink,
  );
}

function unknownColumn(table: TableInfo, column: string): never {
  throw new ConnectorError(
    `Supabase: cannot write to ${table.name}: unknown column "${column}" (the table has ${table.columns.map((c) => c.name).join(', ')})`,
    {
      code: 'COLUMN_NOT_FOUND',
      category: 'not_found',
      hint: 'Rename or drop the column in the rows, or add it to the table (then reload the API schema cache)',
      details: { column },
    },
  );
}
