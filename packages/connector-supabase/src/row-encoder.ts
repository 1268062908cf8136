/**
 * Turns a write's batches into request-body JSON against the target table's logical types: every value is
 * checked (core's rowConverter) and encoded (serialize.ts) before any request of its batch is sent, so a value
 * that would not arrive exactly refuses the batch with a ConnectorError naming row, column and type.
 */
import {
  type CanonicalValue,
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
  /** Its values in a form JSON.stringify keeps (what `replace` remembers of the keys). */
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
export function rowEncoder(table: TableInfo, columns: readonly WriteColumn[]): RowEncoder {
  const sink = `Supabase table ${table.name}`;
  const byName = new Map(table.columns.map((column) => [column.name, column]));
  const described = new Map(columns.filter((c) => c.described).map((c) => [c.name, c.type]));
  let names: string[] = [];
  let metas: ColumnMeta[] = [];
  let convert: RowConverter = () => [];
  let encoders: Encoder[] = [];
  let quotedNames: string[] = [];

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
  };
  use(columns.map((column) => column.name));

  return (rows, rowsBefore) => {
    const added = newKeys(rows, names);
    if (added.length > 0) use([...names, ...added]);
    const values = convert(rows, rowsBefore);
    return rows.map((source, r) => {
      const parts: string[] = [];
      const row: Row = {};
      const keys: string[] = [];
      const canonical = values[r] as CanonicalValue[];
      for (let c = 0; c < names.length; c++) {
        const given = source[names[c]!];
        if (given === undefined) continue;
        const value = canonical[c] ?? null;
        const meta = metas[c]!;
        let json = 'null';
        try {
          if (value === null) {
            if (!meta.nullable) throw NULL_REFUSED;
          } else json = encoders[c]!(value);
        } catch (error) {
          if (!(error instanceof ValueProblem)) throw error;
          const place = { column: meta.name, row: rowsBefore + r + 1, type: meta.logicalType };
          throw valueRejected(error, { ...place, nativeType: meta.type }, sink);
        }
        parts.push(`${quotedNames[c]}:${json}`);
        row[meta.name] = jsonSafe(value);
        keys.push(meta.name);
      }
      return { json: `{${parts.join(',')}}`, row, keys };
    });
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
