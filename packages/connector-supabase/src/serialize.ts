import { ConnectorError, type Row } from '@osiris/core';

/**
 * Turns one value into what PostgREST parses back to the same value: Date → ISO 8601,
 * bigint → decimal string, bytes → bytea hex (`\x…`). JSON has no NaN or Infinity (they would
 * silently become null), so those are refused.
 */
function toJsonValue(value: unknown, row: number, path: string): unknown {
  switch (typeof value) {
    case 'number':
      if (!Number.isFinite(value)) throw invalidValue(String(value), row, path);
      return value;
    case 'bigint':
      return value.toString();
    case 'undefined':
    case 'function':
    case 'symbol':
      return undefined;
    case 'object':
      if (value === null) return null;
      if (value instanceof Date) {
        if (Number.isNaN(value.getTime())) throw invalidValue('an invalid Date', row, path);
        return value.toISOString();
      }
      if (value instanceof Uint8Array)
        return `\\x${Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('hex')}`;
      if (Array.isArray(value))
        return value.map((item, index) => toJsonValue(item, row, `${path}[${index}]`) ?? null);
      // Decimal libraries and the like say how they want to be written.
      if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return value;
      return Object.fromEntries(
        Object.entries(value)
          .map(([key, item]) => [key, toJsonValue(item, row, `${path}.${key}`)])
          .filter(([, item]) => item !== undefined),
      );
    default:
      return value;
  }
}

function invalidValue(what: string, row: number, path: string) {
  return new ConnectorError(`Cannot write ${what} in row ${row}, column "${path}": JSON has no such value`, {
    code: 'INVALID_VALUE',
    category: 'config',
    hint: 'Replace it with null or a finite value before writing',
  });
}

/** A row ready for the request body; keys whose value is undefined are left out (they take the column default). */
export function serializeRow(row: Row, rowNumber: number): Row {
  const out: Row = {};
  for (const key in row) {
    const value = toJsonValue(row[key], rowNumber, key);
    if (value !== undefined) out[key] = value;
  }
  return out;
}
