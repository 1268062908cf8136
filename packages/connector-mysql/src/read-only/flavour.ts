/**
 * Which server a read-only connection talks to: the flavour the builtin allowlist may rely on, and the variable
 * that bounds a statement's time there. VERSION() alone is not enough: a proxy, or a server started with
 * another version string (`mariadbd --version=8.0.36`), reports what it likes, and a MySQL-only builtin
 * (REGEXP_LIKE) is a stored function's name on MariaDB, or the other way round. So the answer is a flavour
 * only when the version string, the server's own catalogue and its variables agree, and the version is one
 * the lists were made for; otherwise it is undefined, and the guard allows only builtins both servers share.
 * The time limit is set through whichever of the two variables the server has, whatever its version says.
 */
import type { ServerFlavor } from './functions.js';

/** One read of the facts the decision rests on; the information_schema tables exist on one server only. */
const SERVER_FACTS_SQL = `SELECT VERSION() AS version,
  (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'information_schema'
    AND TABLE_NAME = 'SQL_FUNCTIONS') AS mariadbTables,
  (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'information_schema'
    AND TABLE_NAME IN ('RESOURCE_GROUPS', 'ST_SPATIAL_REFERENCE_SYSTEMS')) AS mysqlTables`;

/** The time-limit variables only one server has each: MariaDB's in seconds, MySQL's in milliseconds. */
const TIME_LIMIT_VARIABLES_SQL =
  "SHOW VARIABLES WHERE Variable_name IN ('max_statement_time', 'max_execution_time')";

/** The variable that bounds a statement's time on a server. */
export type TimeLimitVariable = 'max_statement_time' | 'max_execution_time';

/** What SERVER_FACTS_SQL and TIME_LIMIT_VARIABLES_SQL return. */
export interface ServerFacts {
  /** VERSION(). */
  version: string;
  /** How many MariaDB-only catalogue tables exist (information_schema.SQL_FUNCTIONS, MariaDB ≥ 10.6). */
  mariadbTables: number;
  /** How many MySQL-only catalogue tables exist (RESOURCE_GROUPS, ST_SPATIAL_REFERENCE_SYSTEMS, MySQL ≥ 8.0). */
  mysqlTables: number;
  /** The time-limit variable the server has (undefined: neither, or both). */
  timeLimit: TimeLimitVariable | undefined;
}

/** The oldest versions the builtin lists hold for: an older server lacks some of them, which are then stored-function names. */
const MINIMUM = { mariadb: [10, 11, 0], mysql: [8, 0, 31] } as const;

/** The flavour the facts prove, or undefined when they do not agree. */
export function flavourOf(facts: ServerFacts): ServerFlavor | undefined {
  const mariadbVersion = /(\d+)\.(\d+)\.(\d+)-MariaDB/.exec(facts.version);
  if (mariadbVersion) {
    const catalogue = Number(facts.mariadbTables) > 0 && Number(facts.mysqlTables) === 0;
    const variables = facts.timeLimit === 'max_statement_time';
    return catalogue && variables && atLeast(mariadbVersion.slice(1), MINIMUM.mariadb)
      ? 'mariadb'
      : undefined;
  }
  const mysqlVersion = /^(\d+)\.(\d+)\.(\d+)/.exec(facts.version);
  if (!mysqlVersion || /mariadb/i.test(facts.version)) return undefined;
  const catalogue = Number(facts.mysqlTables) > 0 && Number(facts.mariadbTables) === 0;
  const variables = facts.timeLimit === 'max_execution_time';
  return catalogue && variables && atLeast(mysqlVersion.slice(1), MINIMUM.mysql) ? 'mysql' : undefined;
}

function atLeast(version: string[], minimum: readonly number[]): boolean {
  for (let i = 0; i < minimum.length; i++) {
    const part = Number(version[i]);
    if (part !== minimum[i]) return part > minimum[i]!;
  }
  return true;
}

/** Reads the facts through `run` (a statement returning rows). */
export async function readServerFacts(run: (sql: string) => Promise<unknown[]>): Promise<ServerFacts> {
  const [facts] = (await run(SERVER_FACTS_SQL)) as Array<Omit<ServerFacts, 'timeLimit'> | undefined>;
  const names = ((await run(TIME_LIMIT_VARIABLES_SQL)) as Array<{ Variable_name?: string }>).map(
    (row) => row.Variable_name,
  );
  const [only, ...others] = names.filter(
    (name): name is TimeLimitVariable => name === 'max_statement_time' || name === 'max_execution_time',
  );
  return {
    version: String(facts?.version ?? ''),
    mariadbTables: Number(facts?.mariadbTables ?? 0),
    mysqlTables: Number(facts?.mysqlTables ?? 0),
    timeLimit: others.length === 0 ? only : undefined,
  };
}
