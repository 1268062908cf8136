/**
 * The "type zoo": a MySQL/MariaDB table holding every common column type at its edge values, and the
 * server's own exact text of every cell, so a round trip through any connector can be checked cell by cell.
 * Only the DDL and the text expressions are MySQL; the expected texts are the canonical text forms of the
 * data contract (see `zooCellText`), so any connector's canonical values compare against them.
 */
import type mysql from 'mysql2/promise';

/** How the server spells a column's cells in `zooServerText`. */
export type ZooTextForm =
  /** The value as text (`CAST(… AS CHAR)`): integers, decimals, dates, times, strings, enum, set, JSON. */
  | 'text'
  /** A double, as the shortest text that reads back as the same number (JS spelling: `1e+21`, `-0`). */
  | 'float'
  /** A FLOAT read as the exact double it holds (`CAST(… AS DOUBLE)`), spelled as `float`. */
  | 'float32'
  /** A bit field or YEAR as its unsigned number. */
  | 'number'
  /** A DATETIME as `YYYY-MM-DDTHH:MM:SS[.f]` (the space becomes `T`). */
  | 'datetime'
  /** A TIMESTAMP as `YYYY-MM-DDTHH:MM:SS[.f]Z`, read in a UTC session. */
  | 'timestamp'
  /** Bytes as upper-case `HEX()`. */
  | 'hex';

/** One column of the zoo. */
export interface ZooColumn {
  /** Column name. */
  name: string;
  /** Its MySQL column definition (type and constraints). */
  ddl: string;
  /** How `zooServerText` spells its cells. */
  form: ZooTextForm;
}

/** A cell as inserted: a value bound as a parameter (strings, bytes), `{ sql }` for a literal expression, or null. */
type ZooCell = string | Uint8Array | { sql: string } | null;

const sql = (text: string) => ({ sql: text });

/** Every byte 0–255 once, in order. */
export const EVERY_BYTE: Buffer = Buffer.from(Array.from({ length: 256 }, (_, index) => index));

/** 1.5 MB of deterministic pseudo-random bytes (a linear congruential sequence). */
function largeBlob(size = 1_500_007): Buffer {
  const bytes = Buffer.alloc(size);
  let state = 0x2545f491;
  for (let index = 0; index < size; index++) {
    state = (Math.imul(state, 1_103_515_245) + 12_345) >>> 0;
    bytes[index] = state >>> 24;
  }
  return bytes;
}

const NINES = (count: number) => '9'.repeat(count);
/** Text that trips CSV, JSON, shell and SQL quoting. */
const TRICKY =
  'quote \' double " comma , semicolon ; CR\r LF\n CRLF\r\n tab\t backslash \\ \\\\ percent % underscore _ end';
const WORLD = 'שלום مرحبا e\u0301 n\u0303 🇺🇳 👩‍👩‍👧 \u200f RTL mark, 漢字, ＡＢＣ';
const JSON_DOC =
  '{"big": 123456789012345678901234567890, "fine": 1.0000000000000000000001, "neg": -0, ' +
  '"text": "é \\" \\\\ \\n \\u0000", "nested": [1, {"k": null}], "dup": 1, "order": "kept"}';

/** The columns, with one cell per row below (row i of every column is the zoo's row i + 1). */
const ZOO: ReadonlyArray<ZooColumn & { cells: readonly ZooCell[] }> = [
  { name: 'id', ddl: 'INT NOT NULL PRIMARY KEY', form: 'text', cells: ['1', '2', '3', '4', '5', '6', '7'] },
  {
    name: 'i8',
    ddl: 'TINYINT',
    form: 'text',
    cells: ['-128', '127', null, '-1', '0', '1', '2'],
  },
  { name: 'u8', ddl: 'TINYINT UNSIGNED', form: 'text', cells: ['0', '255', null, '1', '0', '128', '7'] },
  {
    name: 'i16',
    ddl: 'SMALLINT',
    form: 'text',
    cells: ['-32768', '32767', null, '-1', '0', '256', '-257'],
  },
  {
    name: 'u16',
    ddl: 'SMALLINT UNSIGNED',
    form: 'text',
    cells: ['0', '65535', null, '1', '0', '32768', '40000'],
  },
  {
    name: 'i24',
    ddl: 'MEDIUMINT',
    form: 'text',
    cells: ['-8388608', '8388607', null, '-1', '0', '65536', '-65537'],
  },
  {
    name: 'u24',
    ddl: 'MEDIUMINT UNSIGNED',
    form: 'text',
    cells: ['0', '16777215', null, '1', '0', '8388608', '10000000'],
  },
  {
    name: 'i32',
    ddl: 'INT',
    form: 'text',
    cells: ['-2147483648', '2147483647', null, '-1', '0', '16777217', '-16777217'],
  },
  {
    name: 'u32',
    ddl: 'INT UNSIGNED',
    form: 'text',
    cells: ['0', '4294967295', null, '1', '0', '2147483648', '3000000000'],
  },
  {
    name: 'i64',
    ddl: 'BIGINT',
    form: 'text',
    cells: [
      '-9223372036854775808',
      '9223372036854775807',
      null,
      '9007199254740993',
      '0',
      '-9007199254740993',
      '4294967296',
    ],
  },
  {
    name: 'u64',
    ddl: 'BIGINT UNSIGNED',
    form: 'text',
    cells: [
      '0',
      '18446744073709551615',
      null,
      '9007199254740993',
      '0',
      '9223372036854775808',
      '18446744073709551614',
    ],
  },
  // TINYINT(1) is MySQL's BOOLEAN, yet it holds any TINYINT: 2 and -128 must survive.
  { name: 'flag', ddl: 'TINYINT(1)', form: 'text', cells: ['-128', '127', null, '2', '0', '1', '0'] },
  {
    name: 'd38',
    ddl: 'DECIMAL(38,10)',
    form: 'text',
    cells: [
      `-${NINES(28)}.${NINES(10)}`,
      `${NINES(28)}.${NINES(10)}`,
      null,
      '0.0000000001',
      '0',
      '-0.0000000001',
      '12345678901234567890.1234567890',
    ],
  },
  {
    name: 'd65',
    ddl: 'DECIMAL(65,30)',
    form: 'text',
    cells: [
      `-${NINES(35)}.${NINES(30)}`,
      `${NINES(35)}.${NINES(30)}`,
      null,
      `0.${'0'.repeat(29)}1`,
      '0',
      `-0.${'0'.repeat(29)}1`,
      '1',
    ],
  },
  {
    name: 'money',
    ddl: 'DECIMAL(5,2)',
    form: 'text',
    cells: ['-999.99', '999.99', null, '0.10', '0', '-0.01', '100'],
  },
  {
    name: 'whole',
    ddl: 'DECIMAL(20,0)',
    form: 'text',
    cells: [`-${NINES(20)}`, NINES(20), null, '1', '0', '-1', '42'],
  },
  {
    // MariaDB stores -0 as 0, so the zoo holds none; subnormals and the extremes it keeps.
    name: 'dbl',
    ddl: 'DOUBLE',
    form: 'float',
    cells: [
      '-1.7976931348623157e308',
      '1.7976931348623157e308',
      null,
      '4.9406564584124654e-324',
      '0',
      '2.2250738585072009e-308',
      '0.1',
    ],
  },
  {
    name: 'flt',
    ddl: 'FLOAT',
    form: 'float32',
    cells: [
      '-3.4028234663852886e38',
      '3.4028234663852886e38',
      null,
      '1.401298464324817e-45',
      '0',
      '1.1754943508222875e-38',
      '0.1',
    ],
  },
  {
    name: 'b1',
    ddl: 'BIT(1)',
    form: 'number',
    cells: [sql('0'), sql('1'), null, sql('1'), sql('0'), sql('1'), sql('0')],
  },
  {
    name: 'b64',
    ddl: 'BIT(64)',
    form: 'number',
    cells: [
      sql('0'),
      sql("b'1111111111111111111111111111111111111111111111111111111111111111'"),
      null,
      sql('0x8000000000000001'),
      sql('0'),
      sql('0x00000000000000FF'),
      sql('9007199254740993'),
    ],
  },
  {
    name: 'dt',
    ddl: 'DATE',
    form: 'text',
    cells: ['0001-01-01', '9999-12-31', null, '2024-02-29', '1970-01-01', '1900-02-28', '2000-02-29'],
  },
  {
    name: 'tm',
    ddl: 'TIME',
    form: 'text',
    cells: ['-838:59:59', '838:59:59', null, '-00:00:01', '00:00:00', '24:00:00', '100:30:05'],
  },
  {
    name: 'tm6',
    ddl: 'TIME(6)',
    form: 'text',
    cells: [
      '-838:59:59.999999',
      '838:59:59.999999',
      null,
      '-00:00:00.000001',
      '00:00:00.000000',
      '23:59:59.999999',
      '-25:00:00.500000',
    ],
  },
  {
    name: 'dt0',
    ddl: 'DATETIME',
    form: 'datetime',
    cells: [
      '0001-01-01 00:00:00',
      '9999-12-31 23:59:59',
      null,
      '2021-03-28 02:30:00',
      '1970-01-01 00:00:00',
      '2024-02-29 12:00:00',
      '1969-12-31 23:59:59',
    ],
  },
  {
    name: 'dt3',
    ddl: 'DATETIME(3)',
    form: 'datetime',
    cells: [
      '0001-01-01 00:00:00.000',
      '9999-12-31 23:59:59.999',
      null,
      '2024-02-29 12:00:00.250',
      '1970-01-01 00:00:00.000',
      '2021-10-31 02:30:00.001',
      '1999-12-31 23:59:59.999',
    ],
  },
  {
    name: 'dt6',
    ddl: 'DATETIME(6)',
    form: 'datetime',
    cells: [
      '0001-01-01 00:00:00.000000',
      '9999-12-31 23:59:59.999999',
      null,
      '2021-03-28 02:30:00.000001',
      '1970-01-01 00:00:00.000000',
      '2024-02-29 12:00:00.123456',
      '1900-01-01 00:00:00.500000',
    ],
  },
  {
    // Filled in a UTC session: these are instants.
    name: 'ts0',
    ddl: 'TIMESTAMP NULL DEFAULT NULL',
    form: 'timestamp',
    cells: [
      '1970-01-01 00:00:01',
      '2038-01-19 03:14:07',
      null,
      '2021-03-28 01:30:00',
      '2000-01-01 00:00:00',
      '2021-10-31 01:30:00',
      '2024-02-29 23:59:59',
    ],
  },
  {
    name: 'ts6',
    ddl: 'TIMESTAMP(6) NULL DEFAULT NULL',
    form: 'timestamp',
    cells: [
      '1970-01-01 00:00:01.000000',
      '2038-01-19 03:14:07.999999',
      null,
      '2000-02-29 12:34:56.000001',
      '2000-01-01 00:00:00.000000',
      '2021-10-31 01:30:00.500000',
      '2010-06-15 08:00:00.250000',
    ],
  },
  // YEAR from a number: the string '0' would mean 2000.
  {
    name: 'yr',
    ddl: 'YEAR',
    form: 'number',
    cells: [sql('1901'), sql('2155'), null, sql('2024'), sql('0'), sql('1970'), sql('2000')],
  },
  {
    name: 'ch',
    ddl: 'CHAR(10)',
    form: 'text',
    cells: ['', 'ZZZZZZZZZZ', null, 'a\'b"c,d', 'NULL', '\\N', 'é🙂'],
  },
  {
    name: 'vc',
    ddl: 'VARCHAR(255)',
    form: 'text',
    cells: ['', 'é'.repeat(255), null, TRICKY, 'NULL', '\\N', 'trailing spaces   '],
  },
  {
    name: 'txt',
    ddl: 'TEXT',
    form: 'text',
    cells: ['', 'x'.repeat(65_535), null, WORLD, 'null', '\\N', ' "quoted" , \r\n'],
  },
  {
    name: 'nn',
    ddl: "VARCHAR(20) NOT NULL DEFAULT ''",
    form: 'text',
    cells: ['', 'not null', '', ' ', '""', "''", 'NULL'],
  },
  {
    name: 'bin',
    ddl: 'BINARY(16)',
    form: 'hex',
    cells: [
      Buffer.alloc(16),
      Buffer.alloc(16, 0xff),
      null,
      EVERY_BYTE.subarray(0, 16),
      EVERY_BYTE.subarray(240),
      Buffer.from('0a0d5c2c22270900ffc3a9e2829c0000', 'hex'),
      Buffer.from('NULL\\N,"\r\n\t\u0000xx\u00007', 'latin1'),
    ],
  },
  {
    name: 'vbin',
    ddl: 'VARBINARY(300)',
    form: 'hex',
    cells: [
      Buffer.alloc(0),
      EVERY_BYTE,
      null,
      Buffer.from([0]),
      Buffer.from('\\N', 'latin1'),
      Buffer.from('NULL', 'latin1'),
      Buffer.from('c3a9ff', 'hex'),
    ],
  },
  {
    name: 'blb',
    ddl: 'BLOB',
    form: 'hex',
    cells: [
      Buffer.alloc(0),
      Buffer.concat(Array.from({ length: 255 }, () => EVERY_BYTE)),
      null,
      EVERY_BYTE,
      Buffer.from('\\x00ff', 'latin1'),
      Buffer.from([0x5c]),
      Buffer.from('\r\n', 'latin1'),
    ],
  },
  {
    name: 'mblb',
    ddl: 'MEDIUMBLOB',
    form: 'hex',
    cells: [
      Buffer.alloc(0),
      largeBlob(),
      null,
      EVERY_BYTE,
      Buffer.from([0xff]),
      Buffer.from([0]),
      EVERY_BYTE.subarray(128),
    ],
  },
  {
    name: 'en',
    ddl: "ENUM('small','it''s','with space','d,comma','naïve')",
    form: 'text',
    cells: ['small', 'naïve', null, "it's", 'd,comma', 'with space', 'small'],
  },
  {
    name: 'st',
    ddl: "SET('x','y','z w','é')",
    form: 'text',
    cells: ['', 'x,y,z w,é', null, 'y', 'x', 'z w,é', 'x,é'],
  },
  {
    name: 'js',
    ddl: 'JSON',
    form: 'text',
    cells: ['{}', JSON_DOC, null, 'null', '[]', '"text with \\"quotes\\""', '18446744073709551616123'],
  },
  {
    name: 'geo',
    ddl: 'GEOMETRY',
    form: 'hex',
    cells: [
      sql("ST_GeomFromText('POINT(0 0)')"),
      sql("ST_GeomFromText('POLYGON((0 0,10 0,10 10,0 10,0 0),(2 2,2 3,3 3,2 2))', 4326)"),
      null,
      sql("ST_GeomFromText('POINT(1.5 -2.25)', 4326)"),
      sql("ST_GeomFromText('LINESTRING(0 0,1 1,2 0)')"),
      sql("ST_GeomFromText('POINT(-180 90)', 3857)"),
      sql("ST_GeomFromText('MULTIPOINT(1 1,2 2)')"),
    ],
  },
];

/** The zoo's columns in table order (name, MySQL definition, how their text is spelled). */
export const TYPE_ZOO_COLUMNS: readonly ZooColumn[] = ZOO.map(({ name, ddl, form }) => ({ name, ddl, form }));

/** Number of rows the zoo holds (ids 1…n; row 3 is NULL in every nullable column). */
export const TYPE_ZOO_ROWS: number = ZOO[0]?.cells.length ?? 0;

const quoteName = (name: string) => `\`${name.replaceAll('`', '``')}\``;

/** `database`.`table`, quoted. */
function qualified(database: string, table: string): string {
  return `${quoteName(database)}.${quoteName(table)}`;
}

/** Runs `work` with the session in UTC (TIMESTAMPs are then instants in UTC), restoring the zone after. */
async function inUtc<T>(connection: mysql.Connection, work: () => Promise<T>): Promise<T> {
  const [rows] = await connection.query('SELECT @@session.time_zone AS zone');
  const zone = (rows as Array<{ zone: string }>)[0]?.zone ?? 'SYSTEM';
  await connection.query("SET time_zone = '+00:00'");
  try {
    return await work();
  } finally {
    await connection.query('SET time_zone = ?', [zone]);
  }
}

/** Creates `table` (default `type_zoo`) in `database` and fills it, one INSERT per row (the large blob needs its own). */
export async function createTypeZoo(
  connection: mysql.Connection,
  database: string,
  table = 'type_zoo',
): Promise<void> {
  const target = qualified(database, table);
  const definitions = ZOO.map((column) => `${quoteName(column.name)} ${column.ddl}`).join(', ');
  await connection.query(
    `CREATE TABLE ${target} (${definitions}) ENGINE=InnoDB CHARACTER SET utf8mb4 COLLATE utf8mb4_bin`,
  );
  const names = ZOO.map((column) => quoteName(column.name)).join(', ');
  await inUtc(connection, async () => {
    for (let row = 0; row < TYPE_ZOO_ROWS; row++) {
      const params: Array<string | Uint8Array | null> = [];
      const slots = ZOO.map((column) => {
        const cell = column.cells[row] ?? null;
        if (cell !== null && typeof cell === 'object' && 'sql' in cell) return cell.sql;
        params.push(cell);
        return '?';
      });
      await connection.query(`INSERT INTO ${target} (${names}) VALUES (${slots.join(', ')})`, params);
    }
  });
}

/** The SQL expression giving a cell's exact text in the given form. */
function textExpression(column: ZooColumn): string {
  const name = quoteName(column.name);
  switch (column.form) {
    case 'text':
      return `CAST(${name} AS CHAR)`;
    case 'float':
      return `CAST(${name} AS CHAR)`;
    case 'float32':
      return `CAST(CAST(${name} AS DOUBLE) AS CHAR)`;
    case 'number':
      return `CAST(${name} + 0 AS CHAR)`;
    case 'datetime':
      return `REPLACE(CAST(${name} AS CHAR), ' ', 'T')`;
    case 'timestamp':
      return `CONCAT(REPLACE(CAST(${name} AS CHAR), ' ', 'T'), 'Z')`;
    case 'hex':
      return `HEX(${name})`;
  }
}

/** JS's spelling of a number (`-0` kept), the one `zooCellText` gives for canonical numbers. */
function numberSpelling(value: number): string {
  return Object.is(value, -0) ? '-0' : String(value);
}

/**
 * Every cell of `table` (the zoo or a copy of it, whatever its column types became) as the server's own
 * exact text in the form of its zoo column, ordered by id: `Record<column, text | null>` per row. Floats
 * are the server's shortest round-trip digits, respelled as JS spells the same number; TIMESTAMPs are read
 * in a UTC session. Columns of the zoo the table lacks are left out.
 */
export async function zooServerText(
  connection: mysql.Connection,
  database: string,
  table = 'type_zoo',
): Promise<Array<Record<string, string | null>>> {
  const [present] = await connection.query(
    'SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
    [database, table],
  );
  const names = new Set((present as Array<{ name: string }>).map((column) => column.name));
  const columns = TYPE_ZOO_COLUMNS.filter((column) => names.has(column.name));
  const select = columns.map((column) => `${textExpression(column)} AS ${quoteName(column.name)}`).join(', ');
  const [rows] = await inUtc(connection, () =>
    connection.query(`SELECT ${select} FROM ${qualified(database, table)} ORDER BY ${quoteName('id')}`),
  );
  return (rows as Array<Record<string, string | null>>).map((row) => {
    const out: Record<string, string | null> = {};
    for (const column of columns) {
      const text = row[column.name] ?? null;
      const isFloat = column.form === 'float' || column.form === 'float32';
      out[column.name] = text !== null && isFloat ? numberSpelling(Number(text)) : text;
    }
    return out;
  });
}

/**
 * A canonical value (the data contract's JS value of a cell) in the spelling `zooServerText` uses: strings
 * as they are, numbers as JS spells them, bigints in decimal, booleans `1`/`0`, bytes as upper-case hex.
 */
export function zooCellText(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Uint8Array) return Buffer.from(value).toString('hex').toUpperCase();
  if (typeof value === 'number') return numberSpelling(value);
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'string' || typeof value === 'bigint') return String(value);
  throw new TypeError(`zooCellText: ${Object.prototype.toString.call(value)} is no canonical value`);
}
