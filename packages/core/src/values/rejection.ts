/**
 * The errors a sink raises about types and values, so every connector says the same thing the same way:
 * which column, which row (1-based, counted over the whole write), which type, and what to do.
 */
import type { LogicalType } from '../contract/types.js';
import { ConnectorError } from '../errors.js';
import type { ValueProblem } from './canonical.js';
import { describeType } from './describe.js';

/** Where a value sat when it was refused. */
export interface ValuePlace {
  /** Column name. */
  column: string;
  /** 1-based row number over the whole write. */
  row: number;
  /** The logical type of the column it was bound for. */
  type: LogicalType;
  /** The sink's own name for the column's type, e.g. `SMALLINT UNSIGNED`. */
  nativeType?: string;
}

/** `VALUE_INVALID` / `VALUE_OUT_OF_RANGE`: one value cannot be stored exactly; nothing of its batch was written. */
export function valueRejected(problem: ValueProblem, place: ValuePlace, sink: string): ConnectorError {
  const target = place.nativeType ?? describeType(place.type);
  return new ConnectorError(
    `${sink}: row ${place.row}, column ${JSON.stringify(place.column)}: the value ${problem.reason} (column type ${target})`,
    {
      code: problem.code,
      category: 'config',
      hint:
        problem.code === 'VALUE_OUT_OF_RANGE'
          ? 'Widen the column (or write into a table whose column holds it), or change the value at the source'
          : `Send a ${describeType(place.type)} value (see the logical types table in @osiris/core's README)`,
      details: {
        column: place.column,
        row: place.row,
        type: describeType(place.type),
        nativeType: place.nativeType,
      },
    },
  );
}

/** `TYPE_UNSUPPORTED`: a sink has no column type that keeps every value of this logical type; raised before writing. */
export function typeUnsupported(
  column: string,
  type: LogicalType,
  sink: string,
  hint: string,
): ConnectorError {
  return new ConnectorError(
    `${sink} cannot store column ${JSON.stringify(column)} of type ${describeType(type)} without changing its values`,
    { code: 'TYPE_UNSUPPORTED', category: 'config', hint, details: { column, type: describeType(type) } },
  );
}
