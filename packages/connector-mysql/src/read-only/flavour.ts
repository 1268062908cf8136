import type { ServerFlavor } from './functions.js';

/**
 * Which server a read-only connection talks to, as far as the builtin allowlist goes. VERSION() alone is not
 * enough: a proxy, or a server started with another version string, reports what it likes, and a MySQL-only
 * builtin (REGEXP_LIKE) is a stored function's name on MariaDB, or the other way round. So the answer is a
 * flavour only when the version string and the server's own catalogue agree, and the version is one the
 * lists were made for; otherwise it is undefined, and the guard allows only builtins both servers share.
 */

/** One read of the facts the decision rests on; the information_schema tables exist on one server only. */
export const SERVER_FACTS_SQL = `SELECT VERSION() AS version,
  (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'information_schema'
    AND TABLE_NAME = 'SQL_FUNCTIONS') AS mariadbTables,
  (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'information_schema'
    AND TABLE_NAME IN ('RESOURCE_GROUPS', 'ST_SPATIAL_REFERENCE_SYSTEMS')) AS mysqlTables`;

/** What SERVER_FACTS_SQL returns. */
export interface ServerFacts {
  /** VERSION(). */
  version: string;
  /** How many MariaDB-only catalogue tables exist (information_schema.SQL_FUNCTIONS, MariaDB ≥ 10.6). */
  mariadbTables: number;
  /** How many MySQL-only catalogue tables exist (RESOURCE_GROUPS, ST_SPATIAL_REFERENCE_SYSTEMS, MySQL ≥ 8.0). */
  mysqlTables: number;
}

/** The oldest versions the builtin lists hold for: an older server lacks some of them, which are then stored-function names. */
const MINIMUM = { mariadb: [10, 11, 0], mysql: [8, 0, 31] } as const;

/** The flavour the facts prove, or undefined when they do not agree. */
export function flavourOf(facts: ServerFacts): ServerFlavor | undefined {
  const mariadbVersion = /(\d+)\.(\d+)\.(\d+)-MariaDB/.exec(facts.version);
  if (mariadbVersion) {
    const catalogue = Number(facts.mariadbTables) > 0 && Number(facts.mysqlTables) === 0;
    return catalogue && atLeast(mariadbVersion.slice(1), MINIMUM.mariadb) ? 'mariadb' : undefined;
  }
  const mysqlVersion = /^(\d+)\.(\d+)\.(\d+)/.exec(facts.version);
  if (!mysqlVersion || /mariadb/i.test(facts.version)) return undefined;
  const catalogue = Number(facts.mysqlTables) > 0 && Number(facts.mariadbTables) === 0;
  return catalogue && atLeast(mysqlVersion.slice(1), MINIMUM.mysql) ? 'mysql' : undefined;
}

function atLeast(version: string[], minimum: readonly number[]): boolean {
  for (let i = 0; i < minimum.length; i++) {
    const part = Number(version[i]);
    if (part !== minimum[i]) return part > minimum[i]!;
  }
  return true;
}

/** Reads the facts through `run` (a query returning rows) and decides. */
export async function detectServerFlavour(
  run: (sql: string) => Promise<unknown[]>,
): Promise<ServerFlavor | undefined> {
  const [facts] = (await run(SERVER_FACTS_SQL)) as ServerFacts[];
  return facts ? flavourOf(facts) : undefined;
}
