/**
 * What a read returns for one file: which of its columns, in which order, of which logical types (the
 * request's declared types over the descriptor's; none without either), and the step that brings each
 * field to its canonical value. Shared by the CSV and JSON Lines readers.
 */
import {
  type CanonicalValue,
  type ColumnInfo,
  ConnectorError,
  canonicalizer,
  describeType,
  fromText,
  type LogicalType,
  ValueProblem,
} from '@osiris/core';
import { dateFormatReader } from './csv/date-format.js';
import type { Descriptor } from './descriptor-file.js';

/** Brings one present (non-null) field to its canonical value; throws a `ValueProblem`. */
export type FieldReader = (value: never) => CanonicalValue;

/** The columns of a read, fixed once the file's own column names are known. */
export interface ReadPlan {
  /** Names of the returned columns, in the returned order. */
  names: string[];
  /** Where each returned column sits among the file's columns. */
  indices: number[];
  /** What `columns()` says. */
  columns: ColumnInfo[];
  /** Per returned column, the step to its canonical value; undefined where the value stays as read. */
  readers: Array<FieldReader | undefined>;
  /** Per returned column, whether null is allowed (a descriptor's `required` says no). */
  nullable: boolean[];
  /** Whether any column is typed (else values are passed as the file holds them). */
  typed: boolean;
  /** Whether the returned columns are all of the file's, in its order: a record is then converted where it lies. */
  inPlace: boolean;
}

/** The typing inputs of a read: the request's column selection and declarations, and the descriptor. */
export interface ReadTyping {
  /** The file's descriptor, when one was found and is used. */
  descriptor?: Descriptor;
  /** Requested column names, in order; undefined for all. */
  requested?: string[];
  /** Column types the request declares, by name. */
  declared: Map<string, ColumnInfo>;
}

/** The typing inputs from a request's `columns` (names or `ColumnInfo`s) and a descriptor. */
export function readTyping(
  columns: readonly (string | { name: string })[] | undefined,
  descriptor: Descriptor | undefined,
): ReadTyping {
  const declared = new Map<string, ColumnInfo>();
  for (const column of columns ?? []) {
    if (typeof column !== 'string' && (column as ColumnInfo).type !== undefined)
      declared.set(column.name, column as ColumnInfo);
  }
  const requested = columns?.map((column) => (typeof column === 'string' ? column : column.name));
  return { descriptor, requested, declared };
}

/**
 * The plan for a file whose columns are `available`. `text` says the fields are text (CSV: parsed with
 * `fromText`) rather than JSON values (taken by `canonicalizer`); `untyped` is what `columns()` says of a
 * column nothing types.
 */
export function readPlan(
  available: readonly string[],
  typing: ReadTyping,
  text: boolean,
  untyped: (name: string) => ColumnInfo,
): ReadPlan {
  const { names, indices } = selectColumns(available, typing.requested);
  const described = new Map(typing.descriptor?.columns.map((column) => [column.name, column]));
  const columns = names.map((name) => {
    const own = typing.declared.get(name) ?? described.get(name);
    return own === undefined ? untyped(name) : { ...described.get(name), ...own };
  });
  const typedNames = new Set([...typing.declared.keys(), ...described.keys()]);
  const readers = columns.map((column) =>
    typedNames.has(column.name) && column.type !== undefined
      ? readerOf(column.type, text, typing.descriptor?.dateFormats.get(column.name))
      : undefined,
  );
  return {
    names,
    indices,
    columns,
    readers,
    nullable: columns.map((column) => !typedNames.has(column.name) || column.nullable !== false),
    typed: typedNames.size > 0,
    inPlace: indices.length === available.length && indices.every((at, i) => at === i),
  };
}

function readerOf(type: LogicalType, text: boolean, pattern: string | undefined): FieldReader | undefined {
  // Unbounded text is canonical as read; every other type is parsed (and checked).
  if (text && type.kind === 'string' && type.maxLength === undefined) return undefined;
  if (pattern !== undefined && (type.kind === 'datetime' || type.kind === 'timestamp')) {
    // Written under a date_format: read back by the same pattern, then checked as any date-time text.
    const read = dateFormatReader(pattern, type.kind);
    const canonical = fromText(type);
    return ((value: string) => {
      const parsed = read(value);
      if (parsed === undefined) {
        throw new ValueProblem('VALUE_INVALID', `does not match the date_format ${JSON.stringify(pattern)}`);
      }
      return canonical(parsed);
    }) as FieldReader;
  }
  if (type.kind === 'bytes') {
    // Bytes are base64 text in both formats (a JSON string in JSON Lines).
    const decode = fromText(type);
    return ((value: unknown) => {
      if (typeof value !== 'string') throw new ValueProblem('VALUE_INVALID', 'is not base64 text');
      return decode(value);
    }) as FieldReader;
  }
  return (text ? fromText(type) : canonicalizer(type)) as FieldReader;
}

/**
 * Puts the returned fields of one record (`record[indices[i]]`) into `values[i]`, canonical, or says why the
 * record does not fit its columns (a field of the wrong type, null in a required column), naming the column.
 * `values` may be `record` itself when the plan is `inPlace`.
 */
export function readValues(
  plan: ReadPlan,
  record: readonly unknown[],
  values: CanonicalValue[],
): string | undefined {
  const { indices, readers, nullable } = plan;
  for (let i = 0; i < indices.length; i++) {
    let value = record[indices[i]!] ?? null;
    if (value === null) {
      if (!nullable[i]) return problemText(plan, i, 'is null, which the column (required) refuses');
    } else {
      const reader = readers[i];
      if (reader !== undefined) {
        try {
          value = reader(value as never);
        } catch (error) {
          if (!(error instanceof ValueProblem)) throw error;
          return problemText(plan, i, error.reason);
        }
      }
    }
    values[i] = value as CanonicalValue;
  }
  return undefined;
}

function problemText(plan: ReadPlan, index: number, reason: string): string {
  const column = plan.columns[index]!;
  const type = column.type === undefined ? '' : ` (column type ${describeType(column.type)})`;
  return `column ${JSON.stringify(column.name)}: the value ${reason}${type}`;
}

/** `SCHEMA_MISMATCH` for a file whose columns are not the ones its descriptor names. */
export function columnsMismatch(
  descriptor: Descriptor,
  path: string,
  line: number,
  found: readonly string[],
): ConnectorError {
  const expected = descriptor.columns.map((column) => column.name);
  const missing = expected.filter((name) => !found.includes(name));
  const extra = found.filter((name) => !expected.includes(name));
  const what = [
    missing.length > 0 ? `lacks ${missing.map((name) => JSON.stringify(name)).join(', ')}` : '',
    extra.length > 0
      ? `has ${extra.map((name) => JSON.stringify(name)).join(', ')} that it does not name`
      : '',
  ]
    .filter((part) => part !== '')
    .join(' and ');
  return new ConnectorError(
    `${path}:${line}: the columns are not those ${descriptor.path} describes: the file ${what || `has them in another order (${found.join(', ')})`}`,
    {
      code: 'SCHEMA_MISMATCH',
      category: 'config',
      hint: 'Write the file again (its descriptor is written with it), fix the descriptor, or read with table_schema: false',
      file: path,
      line,
      details: { missing, extra, descriptor: descriptor.path },
    },
  );
}

/** Which of the file's columns a read returns, and where each sits: all, or the requested subset in its order. */
export function selectColumns(
  available: readonly string[],
  requested: readonly string[] | undefined,
): { names: string[]; indices: number[] } {
  if (requested === undefined) return { names: [...available], indices: available.map((_, i) => i) };
  const indices = requested.map((name) => {
    const index = available.indexOf(name);
    if (index < 0) {
      throw new ConnectorError(
        `Column ${JSON.stringify(name)} is not in the file (it has ${available.join(', ')})`,
        {
          code: 'COLUMN_NOT_FOUND',
          category: 'not_found',
          hint: 'Request only columns the file has; names are case-sensitive',
        },
      );
    }
    return index;
  });
  return { names: [...requested], indices };
}
