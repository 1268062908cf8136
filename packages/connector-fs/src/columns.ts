import { ConnectorError, type Row } from '@osiris/core';

/**
 * Orders strings by Unicode code point, the same in every locale and runtime (`Array.prototype.sort`
 * compares UTF-16 code units, which puts U+FF5E before U+1F600).
 */
export function compareCodePoints(a: string, b: string): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a.codePointAt(i)!;
    const y = b.codePointAt(i)!;
    if (x !== y) return x - y;
    if (x > 0xffff) i++;
  }
  return a.length - b.length;
}

/** Throws `SCHEMA_MISMATCH` for the first row holding a key outside `known`. */
export function assertKnownColumns(
  rows: readonly Row[],
  known: ReadonlySet<string>,
  rowsBefore: number,
): void {
  for (let i = 0; i < rows.length; i++) {
    for (const key in rows[i]) {
      if (!known.has(key)) {
        throw new ConnectorError(
          `Row ${rowsBefore + i + 1} has column ${JSON.stringify(key)}, which is not in the file's columns (${[...known].join(', ')})`,
          {
            code: 'SCHEMA_MISMATCH',
            category: 'config',
            hint: "Declare every column in `columns`, or pass on_extra_columns: 'ignore' to drop extra ones",
            details: { column: key, row: rowsBefore + i + 1 },
          },
        );
      }
    }
  }
}
