/**
 * Spells canonical values in a request body as PostgREST parses them back to the same Postgres value, one
 * function per logical type (README: "Writing"), and values in filters. JSON.stringify alone would turn -0
 * into 0, NaN into null, refuse bigints, and quote a JSON document instead of embedding it.
 */
import { type CanonicalValue, type LogicalType, numberText, ValueProblem } from '@osiris/core';

/** JSON text of one non-null canonical value of a column; throws a `ValueProblem` for values Postgres cannot hold. */
export type Encoder = (value: NonNullable<CanonicalValue>) => string;

/** bytea's hex input form, `\x0aff…`. */
const hex = (bytes: Uint8Array) =>
  `\\x${Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex')}`;

/** Postgres's `time` runs from 00:00:00 to 24:00:00 inclusive. */
const TIME_OF_DAY = /^(?:[01]\d|2[0-3]):[0-5]\d:[0-5]\d(?:\.\d+)?$|^24:00:00(?:\.0+)?$/;

/** Year 0000 of the data contract is Postgres's 1 BC (Postgres has no year 0; it reads `0001-… BC`). */
const toPostgresYear = (text: string) => (text.startsWith('0000') ? `0001${text.slice(4)} BC` : text);

const quoted: Encoder = (value) => JSON.stringify(value);

/** Text as a JSON string; Postgres text cannot hold U+0000, so such a value is refused rather than cut. */
const text: Encoder = (value) => {
  if ((value as string).includes('\u0000')) {
    throw new ValueProblem(
      'VALUE_OUT_OF_RANGE',
      'contains the character U+0000, which Postgres text cannot hold',
    );
  }
  return JSON.stringify(value);
};

/** A JSON document embedded as it is (jsonb stores its own normalisation of it: key order, spacing, duplicates). */
const jsonDocument: Encoder = (value) => {
  if ((value as string).trim() !== 'null') return value as string;
  throw new ValueProblem(
    'VALUE_OUT_OF_RANGE',
    'is the JSON document null, which PostgREST stores as SQL NULL (no request body can say otherwise)',
  );
};

/**
 * A document for a json column, which keeps the text of objects, arrays and numbers exactly. What it cannot keep
 * is refused: whitespace around the document, and the escapes of a document that is a single string (both are
 * respelled on the way in).
 */
const exactJson: Encoder = (value) => {
  const document = value as string;
  if (document !== document.trim()) {
    throw new ValueProblem('VALUE_OUT_OF_RANGE', 'has whitespace around the document, which Postgres drops');
  }
  if (document.startsWith('"') && JSON.stringify(JSON.parse(document)) !== document) {
    throw new ValueProblem('VALUE_OUT_OF_RANGE', 'is a JSON string whose escapes Postgres would respell');
  }
  return jsonDocument(document);
};

/** The encoder for a column of logical type `type` and Postgres type `nativeType`. */
export function encoderFor(type: LogicalType, nativeType: string): Encoder {
  switch (type.kind) {
    case 'integer':
      // A bigint as a bare JSON number: Postgres reads every digit (the body never meets JSON.parse).
      return (value) => String(value);
    case 'float':
      return (value) => {
        const number = value as number;
        // Postgres takes the specials as text; -0 must keep its sign (String(-0) is '0').
        return Number.isFinite(number) ? numberText(number) : `"${String(number)}"`;
      };
    case 'boolean':
      return (value) => (value ? 'true' : 'false');
    case 'time':
      return (value) => {
        if (TIME_OF_DAY.test(value as string)) return quoted(value);
        throw new ValueProblem(
          'VALUE_OUT_OF_RANGE',
          'is negative or past 24:00:00, which a Postgres time cannot hold (an interval column would)',
        );
      };
    case 'date':
    case 'datetime':
    case 'timestamp':
      return (value) => quoted(toPostgresYear(value as string));
    case 'bytes':
      return (value) => `"\\${hex(value as Uint8Array)}"`;
    case 'json':
      return nativeType === 'jsonb' ? jsonDocument : exactJson;
    default:
      return text;
  }
}

/** A value as PostgREST reads it in a filter: Date → ISO 8601, bigint → digits, bytes → `\x…`, objects → JSON. */
export function filterLiteral(value: unknown): string {
  if (value instanceof Date) return value.toISOString();
  if (value instanceof Uint8Array) return hex(value);
  if (typeof value === 'number') return numberText(value);
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/** A canonical value in a form JSON.stringify keeps (bigint → digits, bytes → `\x…`, float specials → text). */
export function jsonSafe(value: CanonicalValue): string | number | boolean | null {
  if (typeof value === 'bigint') return String(value);
  if (value instanceof Uint8Array) return hex(value);
  if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
  return value;
}
