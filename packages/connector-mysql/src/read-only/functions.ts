/**
 * Which functions a read-only query may call. An allowlist: a name not listed here is refused, because an
 * unknown name may be a stored or loadable function that writes, sleeps or locks. Names are upper-case ASCII.
 *
 * The builtin names come from the servers' own tables (server-functions.ts, generated): MariaDB's probed on a
 * live MariaDB 10.11, MySQL's from its native function table plus the functions its grammar builds. A name
 * that is builtin on one server is an ordinary identifier on the other, where `name(…)` calls a same-named
 * stored function of the current database, so each server gets its own list and an unknown server the names
 * both share. The dangerous builtins (sleeps, locks, files, replication waits, sequence writes) are refused.
 */
import { MARIADB_BUILTINS, MYSQL_NATIVE_FUNCTIONS } from './server-functions.js';
import { words } from './words.js';

/** Which server the query goes to; when unknown, only builtins both servers share are allowed. */
export type ServerFlavor = 'mysql' | 'mariadb';

/**
 * MySQL functions its grammar (sql_yacc.yy) builds itself, so they are not in its native function table: control
 * flow, keyword-named string and date functions, aggregates and window functions, session facts. Listed by hand:
 * there is no MySQL server here to probe.
 */
export const MYSQL_GRAMMAR_FUNCTIONS: readonly string[] = words(`IF COALESCE INTERVAL ASCII CHAR FORMAT INSERT
  LEFT MID POSITION REPEAT REPLACE RIGHT SUBSTR SUBSTRING TRIM WEIGHT_STRING CAST CONVERT CHARSET COLLATION MOD
  TRUNCATE ADDDATE CURDATE CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURTIME DATE DATE_ADD DATE_SUB DAY EXTRACT
  GET_FORMAT HOUR LOCALTIME LOCALTIMESTAMP MICROSECOND MINUTE MONTH NOW QUARTER SECOND SUBDATE SYSDATE TIME
  TIMESTAMP TIMESTAMPADD TIMESTAMPDIFF UTC_DATE UTC_TIME UTC_TIMESTAMP WEEK YEAR AVG BIT_AND BIT_OR BIT_XOR COUNT
  GROUP_CONCAT JSON_ARRAYAGG JSON_OBJECTAGG MAX MIN STD STDDEV STDDEV_POP STDDEV_SAMP SUM VARIANCE VAR_POP VAR_SAMP
  CUME_DIST DENSE_RANK FIRST_VALUE LAG LAST_VALUE LEAD NTH_VALUE NTILE PERCENT_RANK RANK ROW_NUMBER JSON_VALUE
  CURRENT_USER DATABASE ROW_COUNT SCHEMA SESSION_USER SYSTEM_USER USER DEFAULT ROW GROUPING ST_COLLECT`);

/**
 * Reserved words of both servers that may stand before "(" without a call: type names with a length or
 * precision (CAST, CONVERT, JSON_TABLE columns), compound interval units (`CAST(x AS INTERVAL DAY_SECOND(2))`)
 * and MATCH (…) AGAINST. The grammar never reads them as a function name.
 */
const GRAMMAR_WORDS = words(`NCHAR VARCHAR VARBINARY DECIMAL DEC NUMERIC FLOAT DOUBLE REAL INT INTEGER BIGINT
  SMALLINT TINYINT MEDIUMINT BIT DATETIME MATCH DAY_HOUR DAY_MICROSECOND DAY_MINUTE DAY_SECOND HOUR_MICROSECOND
  HOUR_MINUTE HOUR_SECOND MINUTE_MICROSECOND MINUTE_SECOND SECOND_MICROSECOND YEAR_MONTH`);

const SEQUENCE_WRITES_LIST = ['NEXTVAL', 'SETVAL'];
/** Names that take or set a sequence value, called as functions or (Oracle mode) as `seq.nextval`. */
export const SEQUENCE_WRITES: ReadonlySet<string> = new Set(SEQUENCE_WRITES_LIST);

/** Builtins refused with a reason of their own (any name not allowed is refused too, with a general reason). */
export const DENIED_FUNCTIONS: ReadonlyMap<string, string> = new Map([
  // Time: they hold a connection and a transaction open on purpose
  ...words('SLEEP').map((name) => [name, 'sleeps'] as const),
  ...words('BENCHMARK').map((name) => [name, 'runs an expression in a busy loop'] as const),
  // User-level locks outlive the query and the transaction (ROLLBACK does not release them); IS_FREE_LOCK and
  // IS_USED_LOCK only look, and stay allowed
  ...words(`GET_LOCK RELEASE_LOCK RELEASE_ALL_LOCKS SERVICE_GET_READ_LOCKS SERVICE_GET_WRITE_LOCKS
    SERVICE_RELEASE_LOCKS`).map((name) => [name, 'takes or releases named locks'] as const),
  // Files on the database server
  ...words('LOAD_FILE').map((name) => [name, 'reads a file on the database server'] as const),
  ...words('BINLOG_GTID_POS').map((name) => [name, 'reads the binary log files'] as const),
  ...words('DES_ENCRYPT DES_DECRYPT').map((name) => [name, "uses the server's DES key file"] as const),
  // Waiting on replication
  ...words(`MASTER_POS_WAIT SOURCE_POS_WAIT MASTER_GTID_WAIT WAIT_FOR_EXECUTED_GTID_SET
    WAIT_UNTIL_SQL_THREAD_AFTER_GTIDS SQL_THREAD_WAIT_AFTER_GTIDS WSREP_SYNC_WAIT_UPTO_GTID`).map(
    (name) => [name, 'waits on replication'] as const,
  ),
  ...words('WSREP_LAST_SEEN_GTID WSREP_LAST_WRITTEN_GTID').map(
    (name) => [name, 'reads Galera replication state'] as const,
  ),
  // Replication settings changed through functions (MySQL asynchronous connection failover)
  ...words(`ASYNCHRONOUS_CONNECTION_FAILOVER_ADD_SOURCE ASYNCHRONOUS_CONNECTION_FAILOVER_DELETE_SOURCE
    ASYNCHRONOUS_CONNECTION_FAILOVER_ADD_MANAGED ASYNCHRONOUS_CONNECTION_FAILOVER_DELETE_MANAGED
    ASYNCHRONOUS_CONNECTION_FAILOVER_RESET`).map((name) => [name, 'changes replication settings'] as const),
  // Sequences: taking or setting a value is a write
  ...[...SEQUENCE_WRITES_LIST].map((name) => [name, 'changes a sequence'] as const),
]);

const callable = (names: Iterable<string>) =>
  new Set([...names, ...GRAMMAR_WORDS].filter((name) => !DENIED_FUNCTIONS.has(name)));
const MARIADB = callable(MARIADB_BUILTINS);
const MYSQL = callable([...MYSQL_NATIVE_FUNCTIONS, ...MYSQL_GRAMMAR_FUNCTIONS]);

const ALLOWED: Record<ServerFlavor | 'both', ReadonlySet<string>> = {
  both: new Set([...MARIADB].filter((name) => MYSQL.has(name))),
  mariadb: MARIADB,
  mysql: MYSQL,
};

/** The function names a read-only query may call on `server` (both servers' common builtins when unknown). */
export function allowedFunctions(server?: ServerFlavor): ReadonlySet<string> {
  return ALLOWED[server ?? 'both'];
}

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
