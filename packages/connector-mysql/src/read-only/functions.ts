import { words } from './words.js';

/**
 * Which functions a read-only query may call. An allowlist: a name not listed here is refused, because an
 * unknown name may be a stored or loadable function that writes, sleeps or locks. Names are upper-case ASCII.
 *
 * The lists hold builtins of MySQL ≥ 8.0.31 and MariaDB ≥ 10.11 only. They are split by server because a name that is builtin on one server is an
 * ordinary identifier on the other, where `name(…)` calls a same-named stored function of the current
 * database. The connection test suite checks the MariaDB lists against a live server: for every name it
 * creates such a stored function and makes sure no spelling the guard allows reaches it.
 */

/** Which server the query goes to; when unknown, only builtins both servers share are allowed. */
export type ServerFlavor = 'mysql' | 'mariadb';

/** Builtins of both MySQL ≥ 8.0.31 and MariaDB ≥ 10.11, none with a side effect. */
const SHARED = new Set([
  // Control flow and comparison
  ...words('IF IFNULL NULLIF COALESCE GREATEST LEAST ISNULL INTERVAL'),
  // Strings
  ...words(`ASCII BIN BIT_LENGTH CHAR CHAR_LENGTH CHARACTER_LENGTH CONCAT CONCAT_WS ELT EXPORT_SET EXTRACTVALUE
    FIELD FIND_IN_SET FORMAT FROM_BASE64 HEX INSERT INSTR LCASE LEFT LENGTH LOCATE LOWER LPAD LTRIM MAKE_SET MID
    OCT OCTET_LENGTH ORD POSITION QUOTE REGEXP_INSTR REGEXP_REPLACE REGEXP_SUBSTR REPEAT REPLACE REVERSE RIGHT RPAD
    RTRIM SOUNDEX SPACE STRCMP SUBSTR SUBSTRING SUBSTRING_INDEX TO_BASE64 TRIM UCASE UNHEX UPDATEXML UPPER
    WEIGHT_STRING`),
  // Conversion and character sets
  ...words('CAST CONVERT CHARSET COLLATION COERCIBILITY'),
  // Numbers
  ...words(`ABS ACOS ASIN ATAN ATAN2 CEIL CEILING CONV COS COT CRC32 DEGREES EXP FLOOR LN LOG LOG10 LOG2 MOD PI
    POW POWER RADIANS RAND ROUND SIGN SIN SQRT TAN TRUNCATE`),
  // Dates and times
  ...words(`ADDDATE ADDTIME CONVERT_TZ CURDATE CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURTIME DATE DATEDIFF
    DATE_ADD DATE_FORMAT DATE_SUB DAY DAYNAME DAYOFMONTH DAYOFWEEK DAYOFYEAR EXTRACT FROM_DAYS FROM_UNIXTIME
    GET_FORMAT HOUR LAST_DAY LOCALTIME LOCALTIMESTAMP MAKEDATE MAKETIME MICROSECOND MINUTE MONTH MONTHNAME NOW
    PERIOD_ADD PERIOD_DIFF QUARTER SECOND SEC_TO_TIME STR_TO_DATE SUBDATE SUBTIME SYSDATE TIME TIMEDIFF TIMESTAMP
    TIMESTAMPADD TIMESTAMPDIFF TIME_FORMAT TIME_TO_SEC TO_DAYS TO_SECONDS UNIX_TIMESTAMP UTC_DATE UTC_TIME
    UTC_TIMESTAMP WEEK WEEKDAY WEEKOFYEAR YEAR YEARWEEK`),
  // Aggregates
  ...words(`AVG BIT_AND BIT_OR BIT_XOR COUNT GROUP_CONCAT JSON_ARRAYAGG JSON_OBJECTAGG MAX MIN STD STDDEV
    STDDEV_POP STDDEV_SAMP SUM VARIANCE VAR_POP VAR_SAMP`),
  // Window functions
  ...words(
    'CUME_DIST DENSE_RANK FIRST_VALUE LAG LAST_VALUE LEAD NTH_VALUE NTILE PERCENT_RANK RANK ROW_NUMBER',
  ),
  // JSON: JSON_SET and its kin return a changed copy of a value; they write nothing
  ...words(`JSON_ARRAY JSON_ARRAY_APPEND JSON_ARRAY_INSERT JSON_CONTAINS JSON_CONTAINS_PATH JSON_DEPTH JSON_EXTRACT
    JSON_INSERT JSON_KEYS JSON_LENGTH JSON_MERGE JSON_MERGE_PATCH JSON_MERGE_PRESERVE JSON_OBJECT JSON_OVERLAPS
    JSON_PRETTY JSON_QUOTE JSON_REMOVE JSON_REPLACE JSON_SEARCH JSON_SET JSON_TYPE JSON_UNQUOTE JSON_VALID JSON_VALUE`),
  // Session and server facts (LAST_INSERT_ID only without arguments, see ARGUMENTLESS_ONLY)
  ...words(`CONNECTION_ID CURRENT_ROLE CURRENT_USER DATABASE FOUND_ROWS LAST_INSERT_ID ROW_COUNT SCHEMA SESSION_USER
    SYSTEM_USER USER VERSION DEFAULT`),
  // Network addresses, identifiers, hashes, encryption and compression of values
  ...words(`INET_ATON INET_NTOA INET6_ATON INET6_NTOA IS_IPV4 IS_IPV4_COMPAT IS_IPV4_MAPPED IS_IPV6 UUID UUID_SHORT
    MD5 SHA SHA1 SHA2 AES_ENCRYPT AES_DECRYPT COMPRESS UNCOMPRESS UNCOMPRESSED_LENGTH RANDOM_BYTES NAME_CONST`),
  // Full-text search and row constructors
  ...words('MATCH ROW'),
  // Type names followed by a length or precision (CAST, CONVERT, JSON_TABLE columns); all keywords, never calls
  ...words(`NCHAR VARCHAR VARBINARY DECIMAL DEC NUMERIC FLOAT DOUBLE REAL INT INTEGER BIGINT SMALLINT TINYINT
    MEDIUMINT BIT DATETIME`),
  // Spatial values
  ...words(`ST_AREA ST_ASBINARY ST_ASGEOJSON ST_ASTEXT ST_ASWKB ST_ASWKT ST_BUFFER ST_CENTROID ST_CONTAINS
    ST_CONVEXHULL ST_CROSSES ST_DIFFERENCE ST_DIMENSION ST_DISJOINT ST_DISTANCE ST_DISTANCE_SPHERE ST_ENDPOINT
    ST_ENVELOPE ST_EQUALS ST_EXTERIORRING ST_GEOMCOLLFROMTEXT ST_GEOMCOLLFROMWKB ST_GEOMETRYCOLLECTIONFROMTEXT
    ST_GEOMETRYFROMTEXT ST_GEOMETRYFROMWKB ST_GEOMETRYN ST_GEOMETRYTYPE ST_GEOMFROMGEOJSON ST_GEOMFROMTEXT
    ST_GEOMFROMWKB ST_INTERIORRINGN ST_INTERSECTION ST_INTERSECTS ST_ISCLOSED ST_ISEMPTY ST_ISSIMPLE ST_LENGTH
    ST_LINEFROMTEXT ST_LINEFROMWKB ST_LINESTRINGFROMTEXT ST_MLINEFROMTEXT ST_MPOINTFROMTEXT ST_MPOLYFROMTEXT
    ST_NUMGEOMETRIES ST_NUMINTERIORRINGS ST_NUMPOINTS ST_OVERLAPS ST_POINTFROMTEXT ST_POINTFROMWKB ST_POINTN
    ST_POLYFROMTEXT ST_POLYGONFROMTEXT ST_SRID ST_STARTPOINT ST_SYMDIFFERENCE ST_TOUCHES ST_UNION ST_WITHIN ST_X
    ST_Y MBRCONTAINS MBRDISJOINT MBREQUALS MBRINTERSECTS MBROVERLAPS MBRTOUCHES MBRWITHIN`),
]);

/** Builtins of MariaDB only. */
const MARIADB_ONLY = new Set([
  // Oracle-compatible and other MariaDB value functions
  ...words(
    'ADD_MONTHS CHR DECODE_ORACLE LENGTHB NATURAL_SORT_KEY NVL NVL2 SFORMAT TO_CHAR SYS_GUID ROWNUM CRC32C',
  ),
  // MariaDB JSON (those added in 11.2, such as JSON_KEY_VALUE, are left out: on 10.11 they are stored-function names)
  ...words('JSON_COMPACT JSON_DETAILED JSON_LOOSE JSON_EQUALS JSON_EXISTS JSON_NORMALIZE JSON_QUERY'),
  // Dynamic columns: pure functions of a blob value (COLUMN_ADD/DELETE return a new blob, they change no row)
  ...words(
    'COLUMN_ADD COLUMN_CHECK COLUMN_CREATE COLUMN_DELETE COLUMN_EXISTS COLUMN_GET COLUMN_JSON COLUMN_LIST',
  ),
  // MariaDB aggregates
  ...words('MEDIAN PERCENTILE_CONT PERCENTILE_DISC'),
  // Reading a sequence's last value in this session (NEXTVAL/SETVAL change it and are refused)
  ...words('LASTVAL'),
]);

/** Builtins of MySQL only. */
const MYSQL_ONLY = new Set([
  ...words(`ANY_VALUE BIN_TO_UUID UUID_TO_BIN IS_UUID GROUPING ICU_VERSION ROLES_GRAPHML REGEXP_LIKE JSON_SCHEMA_VALID
    JSON_SCHEMA_VALIDATION_REPORT JSON_STORAGE_FREE JSON_STORAGE_SIZE STATEMENT_DIGEST STATEMENT_DIGEST_TEXT FORMAT_BYTES FORMAT_PICO_TIME PS_CURRENT_THREAD_ID PS_THREAD_ID
    GTID_SUBSET GTID_SUBTRACT MBRCOVEREDBY MBRCOVERS ST_COLLECT ST_GEOHASH ST_LATFROMGEOHASH ST_LONGFROMGEOHASH
    ST_POINTFROMGEOHASH ST_LATITUDE ST_LONGITUDE ST_MAKEENVELOPE ST_SIMPLIFY ST_SWAPXY ST_TRANSFORM ST_ISVALID
    ST_VALIDATE`),
]);

const ALLOWED: Record<ServerFlavor | 'both', ReadonlySet<string>> = {
  both: SHARED,
  mariadb: new Set([...SHARED, ...MARIADB_ONLY]),
  mysql: new Set([...SHARED, ...MYSQL_ONLY]),
};

/** The function names a read-only query may call on `server` (both servers' common builtins when unknown). */
export function allowedFunctions(server?: ServerFlavor): ReadonlySet<string> {
  return ALLOWED[server ?? 'both'];
}

const SEQUENCE_WRITES_LIST = ['NEXTVAL', 'SETVAL'];
/** Names that take or set a sequence value, called as functions or (Oracle mode) as `seq.nextval`. */
export const SEQUENCE_WRITES: ReadonlySet<string> = new Set(SEQUENCE_WRITES_LIST);

/** Functions refused with a reason of their own (any name not allowed is refused too, with a general reason). */
export const DENIED_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  // Time: they hold a connection and a transaction open on purpose
  ...words('SLEEP').map((name) => [name, 'sleeps'] as const),
  ...words('BENCHMARK').map((name) => [name, 'runs an expression in a busy loop'] as const),
  // User-level locks outlive the query and the transaction (ROLLBACK does not release them)
  ...words(`GET_LOCK RELEASE_LOCK RELEASE_ALL_LOCKS IS_FREE_LOCK IS_USED_LOCK SERVICE_GET_READ_LOCKS
    SERVICE_GET_WRITE_LOCKS SERVICE_RELEASE_LOCKS`).map((name) => [name, 'works on named locks'] as const),
  // Files on the database server
  ...words('LOAD_FILE').map((name) => [name, 'reads a file on the database server'] as const),
  // Waiting on replication
  ...words(`MASTER_POS_WAIT SOURCE_POS_WAIT MASTER_GTID_WAIT WAIT_FOR_EXECUTED_GTID_SET
    WAIT_UNTIL_SQL_THREAD_AFTER_GTIDS SQL_THREAD_WAIT_AFTER_GTIDS WSREP_SYNC_WAIT_UPTO_GTID`).map(
    (name) => [name, 'waits on replication'] as const,
  ),
  // Replication settings changed through functions (MySQL asynchronous connection failover)
  ...words(`ASYNCHRONOUS_CONNECTION_FAILOVER_ADD_SOURCE ASYNCHRONOUS_CONNECTION_FAILOVER_DELETE_SOURCE
    ASYNCHRONOUS_CONNECTION_FAILOVER_ADD_MANAGED ASYNCHRONOUS_CONNECTION_FAILOVER_DELETE_MANAGED
    ASYNCHRONOUS_CONNECTION_FAILOVER_RESET`).map((name) => [name, 'changes replication settings'] as const),
  // Sequences: taking or setting a value is a write
  ...[...SEQUENCE_WRITES_LIST].map((name) => [name, 'changes a sequence'] as const),
]);

/**
 * Names the servers read as the builtin only when "(" follows directly. With a space or comment in between
 * (and sql_mode without IGNORE_SPACE) `COUNT (x)` calls a stored function named count. Union of MariaDB's
 * and MySQL's lists.
 */
export const SPACE_SENSITIVE: ReadonlySet<string> = new Set(
  words(`ADDDATE BIT_AND BIT_OR BIT_XOR CAST COUNT CUME_DIST CURDATE CURTIME DATE_ADD DATE_SUB DATE_FORMAT DECODE
    DENSE_RANK EXTRACT FIRST_VALUE GROUP_CONCAT JSON_ARRAYAGG JSON_OBJECTAGG LAG LEAD MAX MEDIAN MID MIN NOW
    NTH_VALUE NTILE POSITION PERCENT_RANK PERCENTILE_CONT PERCENTILE_DISC RANK ROW_NUMBER SESSION_USER ST_COLLECT
    STD STDDEV STDDEV_POP STDDEV_SAMP SUBDATE SUBSTR SUBSTRING SUM SYSDATE SYSTEM_USER TRIM TRIM_ORACLE VARIANCE
    VAR_POP VAR_SAMP`),
);

/** Allowed only as `name()`: with an argument LAST_INSERT_ID(expr) sets the value the session reports next. */
export const ARGUMENTLESS_ONLY: ReadonlySet<string> = new Set(['LAST_INSERT_ID']);
