/**
 * What MySQL column types hold beyond their logical type, checked on canonical values before a batch is
 * sent: a value these would change (MySQL stores -0 as 0, pads BINARY, drops a CHAR's trailing spaces, reads
 * YEAR 5 as 2005) or refuse (TIMESTAMP outside 1970–2038, TIME beyond ±838 hours) is refused here, naming
 * row and column, so that nothing of the batch is written.
 */
import {
  type CanonicalValue,
  decimalText,
  type LogicalType,
  numberText,
  ValueProblem,
  valueRejected,
} from '@osiris/core';

/** Why one canonical value cannot be stored in the column unchanged, or undefined when it can. */
export type Limit = (value: CanonicalValue) => ValueProblem | undefined;

const outOfRange = (reason: string) => new ValueProblem('VALUE_OUT_OF_RANGE', reason);

const NOT_FINITE = outOfRange('is NaN or infinite, which MySQL cannot store');
const NEGATIVE_ZERO = outOfRange('is -0, which MariaDB stores as 0');
const OUTSIDE_YEAR = outOfRange('is outside YEAR (0 or 1901–2155; MySQL reads 1–99 as 2001–2099)');
const OUTSIDE_TIMESTAMP = outOfRange(
  'is outside MySQL TIMESTAMP (1970-01-01T00:00:01Z to 2038-01-19T03:14:07Z); a DATETIME column holds it',
);
const OUTSIDE_TIME = outOfRange('is outside MySQL TIME (±838:59:59)');
const TRAILING_SPACE = outOfRange('ends with a space, which a CHAR column drops (a VARCHAR keeps it)');
const NEGATIVE = outOfRange('is negative, which an UNSIGNED column refuses');

/**
 * The check a column of this logical type, MySQL type and character set (text columns) needs; undefined when
 * the logical type says it all.
 */
export function limitFor(
  target: LogicalType,
  nativeType: string,
  charset?: string | null,
): Limit | undefined {
  const native = nativeType.toLowerCase();
  switch (target.kind) {
    case 'float': {
      // FLOAT(M,D) and DOUBLE(M,D) round to D decimals on store.
      const digits = /\((\d+),(\d+)\)/.exec(native);
      const precision = digits === null ? undefined : Number(digits[1]);
      const scale = digits === null ? undefined : Number(digits[2]);
      return (value) => {
        if (typeof value !== 'number') return undefined;
        if (!Number.isFinite(value)) return NOT_FINITE;
        if (Object.is(value, -0)) return NEGATIVE_ZERO;
        if (scale === undefined) return undefined;
        const fits = decimalText(numberText(value), precision, scale);
        return typeof fits === 'string' ? undefined : outOfRange(`${fits.reason} (${native} rounds it)`);
      };
    }
    case 'integer':
      if (!native.startsWith('year')) return undefined;
      return (value) =>
        typeof value === 'number' && value !== 0 && (value < 1901 || value > 2155) ? OUTSIDE_YEAR : undefined;
    case 'decimal':
      if (!native.includes('unsigned')) return undefined;
      return (value) => (typeof value === 'string' && value.startsWith('-') ? NEGATIVE : undefined);
    case 'timestamp':
      return (value) => {
        if (typeof value !== 'string') return undefined;
        const seconds = value.slice(0, 19);
        return seconds < '1970-01-01T00:00:01' || seconds > '2038-01-19T03:14:07'
          ? OUTSIDE_TIMESTAMP
          : undefined;
      };
    case 'time':
      return (value) =>
        typeof value === 'string' && Math.abs(Number.parseInt(value, 10)) > 838 ? OUTSIDE_TIME : undefined;
    case 'string': {
      if (native.startsWith('char')) {
        return (value) => (typeof value === 'string' && value.endsWith(' ') ? TRAILING_SPACE : undefined);
      }
      // A TEXT's limit is in bytes: in a UTF-8 column, characters beyond one byte count more.
      const bytes = /text$/.test(native) && charset?.startsWith('utf8') ? target.maxLength : undefined;
      if (bytes === undefined) return undefined;
      return (value) =>
        typeof value === 'string' && value.length * 3 > bytes && Buffer.byteLength(value) > bytes
          ? outOfRange(`takes more than the ${bytes} bytes of ${native} in UTF-8`)
          : undefined;
    }
    case 'bytes': {
      if (!native.startsWith('binary')) return undefined;
      const length = target.maxLength ?? 0;
      return (value) =>
        value instanceof Uint8Array && value.byteLength < length
          ? outOfRange(`has ${value.byteLength} bytes; ${native} pads it with zero bytes to ${length}`)
          : undefined;
    }
    default:
      return undefined;
  }
}

/** A checked column: where it is in the row and what it needs. */
export interface LimitedColumn {
  /** Column name. */
  name: string;
  /** Logical type of the target column. */
  type: LogicalType;
  /** MySQL column type, for messages. */
  nativeType: string;
  /** The check; undefined when none is needed. */
  limit: Limit | undefined;
}

/** Throws `VALUE_OUT_OF_RANGE` for the first value of positional `rows` a column cannot hold unchanged. */
export function checkLimits(
  rows: readonly CanonicalValue[][],
  columns: readonly LimitedColumn[],
  rowsBefore: number,
  sink: string,
): void {
  columns.forEach((column, index) => {
    const limit = column.limit;
    if (limit === undefined) return;
    for (let row = 0; row < rows.length; row++) {
      const value = (rows[row] as CanonicalValue[])[index] ?? null;
      if (value === null) continue;
      const problem = limit(value);
      if (problem !== undefined) {
        throw valueRejected(
          problem,
          {
            column: column.name,
            row: rowsBefore + row + 1,
            type: column.type,
            nativeType: column.nativeType,
          },
          sink,
        );
      }
    }
  });
}
