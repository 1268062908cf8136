/**
 * Turns a write's batches into request-body JSON against the target table's logical types: every value is
 * checked (core's rowConverter) and encoded (serialize.ts) before any request of its batch is sent, so a value
 * that would not arrive exactly refuses the batch with a ConnectorError naming row, column and type.
 */
import {
  ConnectorError,
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

/** One row ready for a request body. */
export interface EncodedRow {
  /** The row as a JSON object. */
  json: string;
  /** The values of the `remembered` columns in a form JSON.stringify keeps (what `replace` keeps of the keys). */
  row: Row;
  /** The columns it sets; the others take their default. */
  keys: string[];
}

/** Encodes one source batch; `rowsBefore` counts the rows of the batches before it. */
export type RowEncoder = (rows: readonly Row[], rowsBefore: number) => EncodedRow[];

const NULL_REFUSED = new ValueProblem('VALUE_INVALID', 'is null, which a NOT NULL column refuses');

/**
 * The encoder for writing `columns` (the source's, declared, or the first batch's keys) into `table`. A key a
 * row leaves out is left out of its JSON (the column takes its default); a key no column of the table has is
 * refused before anything is sent.
 */
export function rowEncoder(
  table: TableInfo,
  columns: readonly WriteColumn[],
  remembered: readonly string[] = [],
): RowEncoder {
  const sink = `Supabase table ${table.name}`;
  const byName = new Map(table.columns.map((column) => [column.name, column]));
  const described = new Map(columns.filter((c) => c.described).map((c) => [c.name, c.type]));
  let names: string[] = [];
  let metas: ColumnMeta[] = [];
  let convert: RowConverter = () => [];
  let encoders: Encoder[] = [];
  let quotedNames: string[] = [];
  let rememberedAt: number[] = [];

  const use = (wanted: readonly string[]) => {
    names = [...wanted];
    metas = names.map((name) => byName.get(name) ?? unknownColumn(table, name));
    const sinkColumns: SinkColumn[] = metas.map((meta) => ({
      name: meta.name,
      target: meta.logicalType,
      source: described.get(meta.name),
      nativeType: meta.type,
      // A NOT NULL column with a default takes a row that leaves it out; an explicit null is refused below.
      nullable: meta.nullable || meta.default !== undefined,
    }));
    convert = rowConverter(sinkColumns, sink);
    encoders = metas.map((meta) => encoderFor(meta.logicalType, meta.type));
    quotedNames = names.map((name) => JSON.stringify(name));
    rememberedAt = remembered.map((name) => names.indexOf(name));
  };
  use(columns.map((column) => column.name));

  return (rows, rowsBefore) => {
    const added = newKeys(rows, names);
    if (added.length > 0) use([...names, ...added]);
    const values = convert(rows, rowsBefore);
    const width = names.length;
    const encoded: EncodedRow[] = new Array(rows.length);
    for (let r = 0; r < rows.length; r++) {
      const source = rows[r]!;
      const canonical = values[r]!;
      const keys: string[] = [];
      let json = '';
      for (let c = 0; c < width; c++) {
        const name = names[c]!;
        if (source[name] === undefined) continue;
        const value = canonical[c] ?? null;
        let text = 'null';
        try {
          if (value !== null) text = encoders[c]!(value);
          else if (!metas[c]!.nullable) throw NULL_REFUSED;
        } catch (error) {
          if (!(error instanceof ValueProblem)) throw error;
          const meta = metas[c]!;
          const place = {
            column: name,
            row: rowsBefore + r + 1,
            type: meta.logicalType,
            nativeType: meta.type,
          };
          throw valueRejected(error, place, sink);
        }
        json += `${json === '' ? '{' : ','}${quotedNames[c]}:${text}`;
        keys.push(name);
      }
      const row: Row = {};
      for (let k = 0; k < remembered.length; k++) {
        row[remembered[k]!] = jsonSafe(canonical[rememberedAt[k]!] ?? null);
      }
      encoded[r] = { json: json === '' ? '{}' : `${json}}`, row, keys };
    }
    return encoded;
  };
}

/** Keys of `rows` that are not among `known` (a later batch may set a column the first one left out). */
function newKeys(rows: readonly Row[], known: readonly string[]): string[] {
  const seen = new Set(known);
  const added: string[] = [];
  for (const row of rows) {
    for (const key in row) {
      if (!seen.has(key) && row[key] !== undefined) {
        seen.add(key);
        added.push(key);
      }
    }
  }
  return added;
}

function unknownColumn(table: TableInfo, column: string): never {
  throw new ConnectorError(
    `Supabase: cannot write to ${table.name}: unknown column "${column}" (the table has ${table.columns.map((c) => c.name).join(', ')})`,
    {
      code: 'UNKNOWN_COLUMN',
      category: 'config',
      hint: 'Rename or drop the column in the rows, or add it to the table (then reload the API schema cache)',
      details: { column },
    },
  );
}
