import { ConnectorError, numberText, toText } from '@osiris/core';

/**
 * JSON text of a value, exact where `JSON.stringify` is not: a `bigint` is written as its digits
 * (`9223372036854775807`), `-0` as `-0`, `NaN`/`Infinity`/`-Infinity` as those strings rather than a
 * silent `null`, bytes as a base64 string, a `Date` as its ISO 8601 UTC string (an invalid one as
 * `null`). Keys keep insertion order, so equal input gives equal text.
 */
export function jsonText(value: unknown, seen?: Set<object>): string {
  switch (typeof value) {
    case 'string':
      return JSON.stringify(value);
    case 'number':
      return Number.isFinite(value) ? numberText(value) : `"${value}"`;
    case 'bigint':
      return `${value}`;
    case 'boolean':
      return value ? 'true' : 'false';
    case 'undefined':
      return 'null';
    case 'object':
      return value === null ? 'null' : objectText(value, seen);
    default:
      throw unsupportedValue(value);
  }
}

// The set of objects being written is made only for an object: a default parameter would build one per value.
function objectText(value: object, seen = new Set<object>()): string {
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? 'null' : `"${value.toISOString()}"`;
  if (value instanceof Uint8Array) return JSON.stringify(bytesText(value));
  if (seen.has(value)) throw unsupportedValue(value, 'it contains itself');
  seen.add(value);
  let text: string;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') {
    text = jsonText((value as { toJSON(): unknown }).toJSON(), seen);
  } else if (Array.isArray(value)) {
    text = `[${value.map((item) => (isOmitted(item) ? 'null' : jsonText(item, seen))).join(',')}]`;
  } else {
    const members: string[] = [];
    for (const [key, item] of Object.entries(value)) {
      if (!isOmitted(item)) members.push(`${JSON.stringify(key)}:${jsonText(item, seen)}`);
    }
    text = `{${members.join(',')}}`;
  }
  seen.delete(value);
  return text;
}

/** Bytes as base64 (RFC 4648, with padding): Table Schema's `format: binary`, and core's text form. */
export function bytesText(bytes: Uint8Array): string {
  return toText(bytes) as string;
}

const isOmitted = (value: unknown) =>
  value === undefined || typeof value === 'function' || typeof value === 'symbol';

export function unsupportedValue(value: unknown, reason = `a ${typeof value} has no text form`) {
  return new ConnectorError(`Cannot write the value ${String(value).slice(0, 60)}: ${reason}`, {
    code: 'VALUE_INVALID',
    category: 'config',
    hint: 'Convert the value to a string, number, boolean, Date, bigint, bytes, array or plain object first',
  });
}
