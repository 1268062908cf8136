/**
 * Labels a list of public SQL statements by what a real MariaDB does with them, for the read-only guard's
 * corpus files (corpus-*.json, read by measure-read-only-corpus.ts; not committed). Each statement is parsed (PREPARE, which runs
 * nothing) and then run once, inside a read-only transaction of a throwaway database, as a user with rights
 * on that database only. The server's own command counters (Com_*) say what kind of statement it was.
 *
 * Run it only against a private, disposable server (with performance_schema and its events_statements_current
 * and _history consumers on, and the labelling user granted SELECT on performance_schema): the statements are
 * arbitrary. Usage:
 *   LABEL_ADMIN_URL=mysql://root@127.0.0.1:3399 LABEL_MYSQL_URL=mysql://labeller:x@127.0.0.1:3399/corpus tsx scripts/label-read-only-corpus.ts in.json out.json
 * where in.json is { source, statements: string[] } (scripts/extract-read-only-corpus.py) and out.json gets { source, counts, statements: [{ sql, label, command }] }.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import mysql from 'mysql2/promise';

/** Commands that only read: their Com_* counter names without the prefix. */
const READ_COMMANDS = /^(select|show_.*|help)$/;
/** Text with no statement in it (a comment): not counted at all. */
const NO_STATEMENT = 'empty_query';

/**
 * Side effects a SELECT can have that the server cannot show when the statement fails early (on a missing
 * table, say): INTO, locking clauses, assignments, sequence and lock functions, sleeps, file reads. The text
 * is searched with string literals, quoted names and comments removed.
 */
const SIDE_EFFECTS =
  /\bINTO\b|\bFOR\s+(UPDATE|SHARE)\b|\bLOCK\s+IN\s+SHARE\s+MODE\b|:=|\bNEXT\s+VALUE\s+FOR\b|\.\s*NEXTVAL\b|\b(NEXTVAL|SETVAL|GET_LOCK|RELEASE_LOCK|RELEASE_ALL_LOCKS|SLEEP|BENCHMARK|LOAD_FILE|MASTER_POS_WAIT|MASTER_GTID_WAIT|SOURCE_POS_WAIT|WAIT_FOR_EXECUTED_GTID_SET)\s*\(|\bLAST_INSERT_ID\s*\(\s*[^)\s]|\bPROCEDURE\b/i;

/** Server errors that name a side effect: a stored function call (1305, 1630; 1370 when not allowed to run it), a file outside secure_file_priv (1290). */
const SIDE_EFFECT_ERRORS = new Set([1305, 1630, 1370, 1290]);

const inert = (sql: string) =>
  sql
    .replace(/'(?:[^'\\]|\\.|'')*'|"(?:[^"\\]|\\.|"")*"|`(?:[^`]|``)*`/gs, ' x ')
    .replace(/\/\*(?![!+])[\s\S]*?\*\/|(?:#|--\s)[^\n]*/g, ' ');

interface Labelled {
  sql: string;
  label: 'read' | 'write' | 'rejected';
  command: string;
}

async function counters(session: mysql.Connection): Promise<Map<string, number>> {
  const [rows] = await session.query(
    "SELECT VARIABLE_NAME AS n, VARIABLE_VALUE AS v FROM information_schema.SESSION_STATUS WHERE VARIABLE_NAME LIKE 'COM\\_%' OR VARIABLE_NAME IN ('HANDLER_WRITE', 'HANDLER_UPDATE', 'HANDLER_DELETE')",
  );
  return new Map(
    (rows as Array<{ n: string; v: string }>).map((row) => [row.n.toLowerCase(), Number(row.v)]),
  );
}

/**
 * User variables set, user locks held, and statements of stored programs run (performance_schema events named
 * statement/sp/…: a stored function call, even one that changes nothing, is no plain read).
 */
async function sessionEffects(session: mysql.Connection): Promise<number> {
  const [[row]] = (await session.query(
    `SELECT (SELECT COUNT(*) FROM information_schema.USER_VARIABLES) +
            (SELECT COUNT(*) FROM information_schema.METADATA_LOCK_INFO WHERE thread_id = CONNECTION_ID() AND lock_type LIKE 'User lock%') +
            (SELECT COUNT(*) FROM performance_schema.events_statements_history WHERE EVENT_NAME LIKE 'statement/sp/%'
               AND THREAD_ID = (SELECT THREAD_ID FROM performance_schema.threads WHERE PROCESSLIST_ID = CONNECTION_ID())) AS n`,
  )) as unknown as [[{ n: number }]];
  return Number(row.n);
}

/** What the server says about one statement: undefined when it does not parse. */
async function label(url: string, sql: string): Promise<Labelled | undefined> {
  const session = await connect(url);
  try {
    try {
      await session.query('PREPARE osiris_probe FROM ?', [sql]);
    } catch (error) {
      if ((error as { errno?: number }).errno === 1064) return undefined;
    }
    // A missing table or column stops a statement before the server resolves its function calls: create it, run again.
    let run = await runOnce(session, sql);
    for (let attempt = 0; attempt < 10 && run.missing && (await createMissing(run.missing, sql)); attempt++) {
      run = await runOnce(session, sql);
    }
    if (run.commands.length === 0 || run.commands.includes(NO_STATEMENT)) {
      return { sql, label: 'rejected', command: run.commands.join('+') || `error ${run.errno}` };
    }
    const command = run.commands.join('+');
    const reads = run.commands.every((name) => READ_COMMANDS.test(name));
    const sideEffect =
      run.sideEffect ||
      SIDE_EFFECTS.test(inert(sql)) ||
      (run.errno !== undefined && SIDE_EFFECT_ERRORS.has(run.errno)) ||
      (await callsStoredRoutine(session, sql));
    return { sql, label: reads && !sideEffect ? 'read' : 'write', command };
  } finally {
    await session.end().catch(() => {});
  }
}

/**
 * Whether the statement calls a schema-qualified function (`sys.format_time(…)`), asked of the server with
 * PREPARE: a qualified name is always a stored routine, which the run may not have reached (a missing column
 * stops it first). Anything but a syntax error means the server resolved it as one.
 */
async function callsStoredRoutine(session: mysql.Connection, sql: string): Promise<boolean> {
  const name = '([A-Za-z_][A-Za-z0-9_$]*|`(?:[^`]|``)+`)';
  for (const [, schema, routine] of inert(sql).matchAll(
    new RegExp(`${name}\\s*\\.\\s*${name}\\s*\\(`, 'g'),
  )) {
    try {
      await session.query(`PREPARE osiris_routine FROM 'SELECT ${schema}.${routine}()'`);
      return true;
    } catch (error) {
      if ((error as { errno?: number }).errno !== 1064) return true;
    }
  }
  return false;
}

interface Run {
  /** The Com_* counters the statement moved, without the prefix. */
  commands: string[];
  /** Rows written, a user variable set, a user lock taken or stored program code run. */
  sideEffect: boolean;
  errno?: number;
  /** The table (`db`.`table`) or column the server reported missing. */
  missing?: { table: [string, string] } | { column: string };
}

const BOOKKEEPING = new Set([
  'stmt_execute',
  'execute_sql',
  'stmt_close',
  'dealloc_sql',
  'stmt_prepare',
  'prepare_sql',
]);

/** Runs the statement once inside a read-only transaction (rolled back) and reads what it did. */
async function runOnce(session: mysql.Connection, sql: string): Promise<Run> {
  await session.query('ROLLBACK');
  await session.query('START TRANSACTION READ ONLY');
  const effectsBefore = await sessionEffects(session);
  const before = await counters(session);
  let errno: number | undefined;
  let message = '';
  try {
    if (/\?/.test(inert(sql))) await executePrepared(session);
    else await session.query(sql);
  } catch (error) {
    errno = (error as { errno?: number }).errno;
    message = (error as Error).message;
    if (errno === undefined) throw error;
  }
  const after = await counters(session).catch(() => undefined);
  if (!after) return { commands: ['connection_lost'], sideEffect: true, errno };
  const effectsAfter = await sessionEffects(session).catch(() => effectsBefore + 1);
  await session.query('ROLLBACK').catch(() => {});
  // The snapshot query itself counts as one SELECT.
  const moved = [...after]
    .filter(([name, value]) => value - (before.get(name) ?? 0) - (name === 'com_select' ? 1 : 0) > 0)
    .map(([name]) => name.replace(/^com_/, ''))
    .filter((name) => !BOOKKEEPING.has(name));
  const table = errno === 1146 ? /Table '([^'.]+)\.([^']+)' doesn't exist/.exec(message) : null;
  const column = errno === 1054 ? /Unknown column '(?:[^']*\.)?([^'.]+)'/.exec(message) : null;
  return {
    commands: moved.filter((name) => !name.startsWith('handler_')),
    sideEffect: moved.some((name) => name.startsWith('handler_')) || effectsAfter > effectsBefore,
    errno,
    missing: table ? { table: [table[1]!, table[2]!] } : column ? { column: column[1]! } : undefined,
  };
}

/** Tables this run created; a missing column is added to every one of them. */
const created: Array<[string, string]> = [];

/** Creates a missing table (and its database) or column through the admin account; false where it must not. */
async function createMissing(missing: NonNullable<Run['missing']>, sql: string): Promise<boolean> {
  const admin = process.env.LABEL_ADMIN_URL;
  if (!admin) return false;
  const root = await mysql.createConnection({ uri: admin });
  try {
    if ('column' in missing) {
      // The tables the statement names, when it names any this run created (else every one of them).
      const named = created.filter(([, table]) =>
        new RegExp(`\\b${table.replace(/\W/g, '\\$&')}\\b`, 'i').test(sql),
      );
      let added = false;
      for (const [database, table] of named.length > 0 ? named : created) {
        // A later statement may have dropped or changed the table: skip it.
        await root
          .query('ALTER TABLE ??.?? ADD COLUMN IF NOT EXISTS ?? VARCHAR(100)', [
            database,
            table,
            missing.column,
          ])
          .then(
            () => (added = true),
            () => {},
          );
      }
      return added;
    }
    const [database, table] = missing.table;
    if (['mysql', 'information_schema', 'performance_schema', 'sys'].includes(database.toLowerCase()))
      return false;
    await root.query('CREATE DATABASE IF NOT EXISTS ??', [database]);
    await root.query('CREATE TABLE IF NOT EXISTS ??.?? (id INT)', [database, table]);
    await root.query("GRANT ALL ON ??.* TO ?@'%'", [
      database,
      new URL(process.env.LABEL_MYSQL_URL!).username,
    ]);
    created.push([database, table]);
    return true;
  } catch {
    return false;
  } finally {
    await root.end();
  }
}

/**
 * A session of the labelling user. A statement may have changed its password (SET PASSWORD) or dropped its
 * database: the admin account repairs both.
 */
async function connect(url: string): Promise<mysql.Connection> {
  try {
    return await mysql.createConnection({ uri: url, multipleStatements: false });
  } catch (error) {
    const admin = process.env.LABEL_ADMIN_URL;
    if (!admin) throw error;
    const { username, password, pathname } = new URL(url);
    const root = await mysql.createConnection({ uri: admin });
    await root.query('CREATE DATABASE IF NOT EXISTS ??', [decodeURIComponent(pathname.slice(1))]);
    await root.query("ALTER USER ?@'%' IDENTIFIED BY ?", [username, decodeURIComponent(password)]);
    await root.end();
    return mysql.createConnection({ uri: url, multipleStatements: false });
  }
}

/** Runs the prepared statement with as many NULL parameters as it takes. */
async function executePrepared(session: mysql.Connection): Promise<void> {
  for (let count = 0; ; count++) {
    try {
      const using = count === 0 ? '' : ` USING ${Array(count).fill('NULL').join(', ')}`;
      await session.query(`EXECUTE osiris_probe${using}`);
      return;
    } catch (error) {
      if ((error as { errno?: number }).errno !== 1210 || count > 50) throw error;
    }
  }
}

const [input, output] = process.argv.slice(2);
const url = process.env.LABEL_MYSQL_URL;
if (!input || !output || !url)
  throw new Error('usage: LABEL_MYSQL_URL=… tsx label-read-only-corpus.ts in.json out.json');
const { source, statements } = JSON.parse(readFileSync(input, 'utf8')) as {
  source: string;
  statements: string[];
};
const labelled: Labelled[] = [];
let unparsed = 0;
for (const sql of statements) {
  const result = await label(url, sql);
  if (result) labelled.push(result);
  else unparsed++;
}
const counts = {
  extracted: statements.length,
  notParsedByMariaDB: unparsed,
  rejectedBeforeRunning: labelled.filter((s) => s.label === 'rejected').length,
  reads: labelled.filter((s) => s.label === 'read').length,
  writes: labelled.filter((s) => s.label === 'write').length,
};
writeFileSync(
  output,
  `${JSON.stringify({ source, server: 'MariaDB 10.11', counts, statements: labelled.filter((s) => s.label !== 'rejected') }, null, 0).replaceAll('},{', '},\n{')}\n`,
);
console.log(counts);
