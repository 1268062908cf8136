/**
 * The MySQL ↔ logical type tables: which logical type a MySQL column type is (for columns() of reads and the
 * columns of an existing table a write goes into), and which MySQL column type a created table gets for a
 * logical type. The README's "Type mapping" section is these two tables in prose.
 */
import { type LogicalType, typeUnsupported } from '@osiris/core';

/** `name(arguments) unsigned zerofill`, as information_schema's COLUMN_TYPE and result-set metadata spell it. */
const COLUMN_TYPE = /^\s*([a-z]+(?: precision)?)\s*(?:\((.*)\))?((?:\s+(?:unsigned|signed|zerofill))*)\s*$/is;

const INTEGER_BITS: Record<string, number> = {
  tinyint: 8,
  smallint: 16,
  mediumint: 24,
  int: 32,
  integer: 32,
  bigint: 64,
};

/** Most bytes of the BLOB/TEXT family (LONG… is unbounded here: 4 GiB is more than a JS value holds). */
const LOB_BYTES: Record<string, number | undefined> = {
  tiny: 255,
  '': 65_535,
  medium: 16_777_215,
  long: undefined,
};

const GEOMETRY_TYPES = new Set([
  'geometry',
  'point',
  'linestring',
  'polygon',
  'multipoint',
  'multilinestring',
  'multipolygon',
  'geometrycollection',
  'geomcollection',
]);

/**
 * The logical type of a MySQL column type (`decimal(12,2) unsigned`, `enum('a','b')`, `BIT(1)`…). `json`
 * marks a MariaDB JSON column (a LONGTEXT with a `json_valid` check). ENUM and SET without their members
 * (result-set metadata carries none) are strings. Types this table does not know (MariaDB's INET6, UUID…)
 * are strings, the server's text of the value.
 */
export function logicalTypeOf(nativeType: string, json = false): LogicalType {
  return json ? { kind: 'json' } : (knownLogicalType(nativeType) ?? { kind: 'string' });
}

/** The logical type of a MySQL type spelling, or undefined when it is not one this table knows. */
export function knownLogicalType(nativeType: string): LogicalType | undefined {
  const match = COLUMN_TYPE.exec(nativeType);
  if (match === null) return undefined;
  const name = (match[1] as string).toLowerCase();
  const args = match[2];
  const unsigned = /unsigned|zerofill/i.test(match[3] ?? '');
  const size = args === undefined ? undefined : Number(args.split(',')[0]);
  const bits = INTEGER_BITS[name];
  // TINYINT(1) is MySQL's BOOLEAN, yet it holds -128…127: it stays an integer.
  if (bits !== undefined) return { kind: 'integer', bits, unsigned };
  switch (name) {
    case 'bit':
      return { kind: 'integer', bits: size ?? 1, unsigned: true };
    case 'year':
      // 0 and 1901–2155; a sink checks the range (writeChecks).
      return { kind: 'integer', bits: 16, unsigned: true };
    case 'decimal':
    case 'numeric':
    case 'dec':
    case 'fixed': {
      const [precision = 10, scale = 0] = (args ?? '').split(',').filter(Boolean).map(Number);
      return { kind: 'decimal', precision, scale };
    }
    case 'float':
      return { kind: 'float', bits: 32 };
    case 'double':
    case 'double precision':
    case 'real':
      return { kind: 'float', bits: 64 };
    case 'date':
    case 'newdate':
      return { kind: 'date' };
    case 'time':
      return { kind: 'time', precision: size ?? 0 };
    case 'datetime':
      return { kind: 'datetime', precision: size ?? 0 };
    case 'timestamp':
      return { kind: 'timestamp', precision: size ?? 0 };
    case 'char':
    case 'varchar':
      return size === undefined ? { kind: 'string' } : { kind: 'string', maxLength: size };
    case 'binary':
    case 'varbinary':
      return size === undefined ? { kind: 'bytes' } : { kind: 'bytes', maxLength: size };
    case 'json':
      return { kind: 'json' };
    case 'enum':
    case 'set': {
      if (args === undefined) return { kind: 'string' };
      return { kind: name, members: membersOf(args) };
    }
  }
  const lob = /^(tiny|medium|long)?(text|blob)$/.exec(name);
  if (lob !== null) {
    const maxLength = LOB_BYTES[lob[1] ?? ''];
    const kind = lob[2] === 'blob' ? 'bytes' : 'string';
    // A TEXT's limit is in bytes; as many characters is the most it may hold.
    return maxLength === undefined ? { kind } : { kind, maxLength };
  }
  if (GEOMETRY_TYPES.has(name)) return { kind: 'bytes' };
  return undefined;
}

/** The members of `'a','it''s','b\\c'` (information_schema doubles quotes and backslashes). */
function membersOf(list: string): string[] {
  const members: string[] = [];
  const quoted = /'((?:[^'\\]|''|\\.)*)'/gs;
  for (const match of list.matchAll(quoted)) {
    members.push((match[1] as string).replace(/''/g, "'").replace(/\\(.)/gs, '$1'));
  }
  return members;
}

/** What MySQL can hold, for messages. */
const SINK = 'MySQL';

/** Characters of a VARCHAR before a TEXT type is used instead (4 bytes each in utf8mb4, far below the row limit). */
const LONGEST_VARCHAR = 1_024;
/** Characters of a VARCHAR key (InnoDB indexes 3072 bytes, 4 per character). */
const LONGEST_KEY = 768;
/** Length of a key column whose type has no bound (values beyond it are refused, never cut). */
const DEFAULT_KEY_LENGTH = 255;

/**
 * The MySQL column type a created table gets for a logical type; `TYPE_UNSUPPORTED` for what MySQL cannot
 * hold exactly (more than 65 decimal digits or 30 after the point, more than 6 fraction digits of a second,
 * ENUM/SET members MySQL would alter). Key columns get a type MySQL can index.
 */
export function mysqlTypeFor(column: string, type: LogicalType, isKey: boolean): string {
  switch (type.kind) {
    case 'string': {
      const length = type.maxLength;
      if (isKey) {
        if (length !== undefined && length > LONGEST_KEY) {
          throw typeUnsupported(column, type, SINK, `A MySQL key holds at most ${LONGEST_KEY} characters`);
        }
        return `VARCHAR(${length ?? DEFAULT_KEY_LENGTH})`;
      }
      if (length !== undefined && length <= LONGEST_VARCHAR) return `VARCHAR(${Math.max(length, 1)})`;
      return lobType('TEXT', length === undefined ? undefined : length * 4);
    }
    case 'integer':
      return `${integerType(type.bits)}${type.unsigned ? ' UNSIGNED' : ''}`;
    case 'decimal': {
      const precision = type.precision ?? 65;
      const scale = type.scale ?? (type.precision === undefined ? 30 : 0);
      if (precision > 65 || scale > 30 || scale > precision) {
        throw typeUnsupported(
          column,
          type,
          SINK,
          'MySQL DECIMAL holds at most 65 digits, 30 of them after the point: write into a text column you create, or reduce the precision at the source',
        );
      }
      return `DECIMAL(${precision},${scale})`;
    }
    case 'float':
      return type.bits === 32 ? 'FLOAT' : 'DOUBLE';
    case 'boolean':
      return 'TINYINT(1)';
    case 'date':
      return 'DATE';
    case 'time':
    case 'datetime':
    case 'timestamp': {
      if (type.precision > 6) {
        throw typeUnsupported(
          column,
          type,
          SINK,
          'MySQL keeps at most 6 fraction digits of a second (microseconds)',
        );
      }
      const name = type.kind.toUpperCase();
      return type.precision === 0 ? name : `${name}(${type.precision})`;
    }
    case 'bytes': {
      const length = type.maxLength;
      if (isKey) return `VARBINARY(${length !== undefined && length <= 3_072 ? length : DEFAULT_KEY_LENGTH})`;
      if (length !== undefined && length <= 255) return `VARBINARY(${Math.max(length, 1)})`;
      return lobType('BLOB', length);
    }
    case 'json':
      return isKey ? `VARCHAR(${DEFAULT_KEY_LENGTH})` : 'JSON';
    case 'enum':
    case 'set': {
      const problem = memberProblem(type.kind, type.members);
      if (problem !== undefined) throw typeUnsupported(column, type, SINK, problem);
      return `${type.kind.toUpperCase()}(${type.members.map(quoteMember).join(',')})`;
    }
  }
}

function integerType(bits: number): string {
  if (bits <= 8) return 'TINYINT';
  if (bits <= 16) return 'SMALLINT';
  if (bits <= 24) return 'MEDIUMINT';
  return bits <= 32 ? 'INT' : 'BIGINT';
}

/** The smallest of TINY…/…/MEDIUM…/LONG… `family` holding `bytes` (LONG when unbounded). */
function lobType(family: 'TEXT' | 'BLOB', bytes: number | undefined): string {
  if (bytes === undefined) return `LONG${family}`;
  if (bytes <= 255) return `TINY${family}`;
  if (bytes <= 65_535) return family;
  return bytes <= 16_777_215 ? `MEDIUM${family}` : `LONG${family}`;
}

/** Why MySQL would not keep these members as they are, if it would not. */
function memberProblem(kind: 'enum' | 'set', members: readonly string[]): string | undefined {
  if (members.length === 0) return `A MySQL ${kind.toUpperCase()} needs at least one member`;
  if (kind === 'set' && members.length > 64) return 'A MySQL SET holds at most 64 members';
  if (members.some((member) => member.endsWith(' '))) {
    return 'MySQL strips trailing spaces from ENUM/SET members: create the column yourself (VARCHAR)';
  }
  if (kind === 'set' && members.some((member) => member.includes(','))) {
    return 'A MySQL SET member cannot contain a comma';
  }
  return undefined;
}

/** A member as an SQL string literal (quotes doubled, backslashes escaped: sessions keep backslash escapes). */
function quoteMember(member: string): string {
  return `'${member.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
