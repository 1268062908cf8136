/**
 * Asks a live MariaDB which names are builtin functions: the candidates are the server's own tables
 * (information_schema.SQL_FUNCTIONS, the mysql.help_topic names, information_schema.KEYWORDS) plus any names
 * given, and each is tried with PREPARE, which parses and resolves a statement but runs nothing. A name the
 * server looks up as a stored function errors with 1305 or 1630 ("FUNCTION db.name does not exist"); a builtin
 * builds (or fails on its arguments, 1582), a bare keyword is a syntax error (1064).
 */
import type { Connection } from 'mysql2/promise';

/** What PREPARE said about one name over the probed argument counts. */
export type NameKind = 'builtin' | 'stored' | 'keyword';

/** Errors meaning "no builtin of that name; looked up as a stored function". */
const STORED_FUNCTION_LOOKUP = new Set([1305, 1630]);
const SYNTAX_ERROR = 1064;
/**
 * Argument lists tried per name: a builtin's grammar may take only some of them (a column name for
 * LASTVAL(seq) or DEFAULT(col), USING for CONVERT, a unit for TIMESTAMPADD, a type for GET_FORMAT, OVER for
 * window functions, AS type for COLUMN_GET).
 */
const ARGUMENTS = [
  '',
  '1',
  '1, 1',
  '1, 1, 1',
  '1, 1, 1, 1',
  '1, 1, 1, 1, 1',
  'a',
  '1 USING utf8mb4',
  'DAY, 1, 1',
  'DATE, 1',
  ') OVER (',
  '1) OVER (',
  '1, 1 AS INT',
];
/**
 * Where the call stands: first in the select list, where a select option (`SELECT SQL_CACHE (1)`) may take the
 * name, and after a comma, where such a keyword is an ordinary name again and may reach a stored function.
 */
const PLACES = ['SELECT ', 'SELECT 0, '];

/** The candidate names of the server's own function and keyword tables, upper-case. */
export async function candidateNames(
  session: Connection,
): Promise<{ listed: Set<string>; all: Set<string> }> {
  const [functions] = await session.query('SELECT FUNCTION AS name FROM information_schema.SQL_FUNCTIONS');
  const [help] = await session.query('SELECT name FROM mysql.help_topic');
  const [keywords] = await session.query('SELECT WORD AS name FROM information_schema.KEYWORDS');
  const names = (rows: unknown) =>
    (rows as Array<{ name: string }>)
      .map((row) => row.name.toUpperCase())
      .filter((name) => /^[A-Z_][A-Z0-9_]*$/.test(name));
  const listed = new Set(names(functions));
  const all = new Set([...listed, ...names(help), ...names(keywords)]);
  // Spatial functions come in pairs (AREA and ST_AREA); the help tables name only one of each.
  for (const name of [...all]) all.add(name.startsWith('ST_') ? name.slice(3) : `ST_${name}`);
  return { listed, all };
}

/**
 * Classifies each name by PREPARE in the sessions' current database (which must hold no stored functions),
 * the names shared out over the sessions: `stored` when any argument count reaches a stored function,
 * `builtin` when the server built a call (or SQL_FUNCTIONS lists it, as CAST whose grammar needs more than a
 * list), else `keyword`.
 */
export async function classifyNames(
  sessions: readonly Connection[],
  names: Iterable<string>,
  listed: ReadonlySet<string>,
): Promise<Map<string, NameKind>> {
  const kinds = new Map<string, NameKind>();
  const queue = [...names];
  await Promise.all(
    sessions.map(async (session) => {
      for (let name = queue.pop(); name !== undefined; name = queue.pop()) {
        kinds.set(name, await classify(session, name, listed));
      }
      await session.query('DEALLOCATE PREPARE osiris_function_probe').catch(() => {});
    }),
  );
  return kinds;
}

async function classify(session: Connection, name: string, listed: ReadonlySet<string>): Promise<NameKind> {
  let built = false;
  for (const statement of PLACES.flatMap((place) => ARGUMENTS.map((args) => `${place}${name}(${args})`))) {
    try {
      await session.query(`PREPARE osiris_function_probe FROM '${statement}'`);
      built = true;
    } catch (error) {
      const errno = (error as { errno?: number }).errno;
      if (errno === undefined) throw error;
      // One stored-function lookup settles it.
      if (STORED_FUNCTION_LOOKUP.has(errno)) return 'stored';
      if (errno !== SYNTAX_ERROR) built = true;
    }
  }
  return built || listed.has(name) ? 'builtin' : 'keyword';
}

/** The builtin function names of the server behind `sessions` (one database), sorted; `extra` adds candidates. */
export async function probeBuiltins(
  sessions: readonly Connection[],
  extra: Iterable<string> = [],
): Promise<string[]> {
  const { listed, all } = await candidateNames(sessions[0]!);
  const kinds = await classifyNames(sessions, new Set([...all, ...extra]), listed);
  return [...kinds]
    .filter(([, kind]) => kind === 'builtin')
    .map(([name]) => name)
    .sort();
}
