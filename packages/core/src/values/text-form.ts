/**
 * The text form of canonical values, for connectors that speak text (CSV, JSON Lines, COPY, LOAD DATA):
 * strings stay as they are, numbers keep `-0`, booleans are `true`/`false`, bytes are base64. Reading the text
 * back through `fromText` gives the same canonical value.
 */
import type { CanonicalValue, LogicalType } from '../contract/types.js';
import { type Canonicalizer, canonicalizer, numberText, ValueProblem } from './canonical.js';
import { fastTextReader } from './text-fast.js';

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Text of one canonical value (null stays null: how NULL is spelled is the connector's business). */
export function toText(value: CanonicalValue): string | null {
  switch (typeof value) {
    case 'string':
      return value;
    case 'number':
      return numberText(value);
    case 'bigint':
    case 'boolean':
      return String(value);
    default:
      if (value === null) return null;
      return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  }
}

/** The parser from text form to canonical value for a logical type; it throws a `ValueProblem`. */
export function fromText(type: LogicalType): (text: string) => CanonicalValue {
  if (type.kind === 'string') return canonicalizer(type) as (text: string) => string;
  if (type.kind !== 'bytes') {
    const general = canonicalizer(type) as Canonicalizer;
    return fastTextReader(type, general) ?? general;
  }
  const check = canonicalizer(type);
  return (text) => {
    if (!BASE64.test(text)) throw new ValueProblem('VALUE_INVALID', 'is not base64 text');
    return check(Buffer.from(text, 'base64'));
  };
}
