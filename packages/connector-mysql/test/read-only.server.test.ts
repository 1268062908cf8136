import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { ConnectorError } from '@osiris/core';
import { createTestDatabase, mysqlServerUrl, type TestDatabase } from '@osiris/test-services';
import fc from 'fast-check';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { probeBuiltins } from '../scripts/probe-functions.js';
import { type MysqlConnection, mysqlConnector } from '../src/index.js';
import { flavourOf, readServerFacts } from '../src/read-only/flavour.js';
import { allowedFunctions, MYSQL_GRAMMAR_FUNCTIONS } from '../src/read-only/functions.js';
import { validateReadOnly } from '../src/read-only/index.js';
import {
  MARIADB_BUILTINS,
  MARIADB_SOURCE,
  MYSQL_NATIVE_FUNCTIONS,
} from '../src/read-only/server-functions.js';
import { NOT_CALLS } from '../src/read-only/verifier.js';
import { cases, OUTFILE } from './fixtures/read-only/cases.js';
import { type PrivateMariadb, startPrivateMariadb } from './private-mariadb.js';

/**
 * The guard and the server-side layers against the real MariaDB. Queries run as a user with every privilege
 * on the test database plus FILE (so that writes, DDL and INTO OUTFILE are possible in principle) and nothing
 * else server-wide (so that a case like SHUTDOWN or SET GLOBAL cannot hurt the shared server).
 */

let db: TestDatabase;
let user: string;
let password: string;
let outfile: string;
const LOCK = 'osiris_ro_lock';

beforeAll(async () => {
  db = await createTestDatabase('osiris_ro');
  const [[{ version }]] = (await db.admin.query('SELECT VERSION() AS version')) as unknown as [
    [{ version: string }],
  ];
  if (!/mariadb/i.test(version)) {
    throw new Error(
      `These tests exercise MariaDB's read-only layers (max_statement_time, sequences, BEGIN NOT ATOMIC); the server at ${db.host}:${db.port} is ${version}. Point MYSQL_URL at a MariaDB server.`,
    );
  }
  const setup = [
    'CREATE TABLE t (id INT PRIMARY KEY, a INT, b INT, note VARCHAR(100), `delete` INT, doc JSON, created_at DATETIME, FULLTEXT (note))',
    'CREATE TABLE u (id INT PRIMARY KEY, t_id INT, name VARCHAR(50))',
    `INSERT INTO t VALUES (1, 1, 2, 'alpha', 0, '[1, 2]', '2024-01-01 00:00:00'), (2, 3, 4, 'beta', 1, '{"a": 1}', '2024-02-01 00:00:00')`,
    "INSERT INTO u VALUES (1, 1, 'x'), (2, 2, 'y')",
    'CREATE SEQUENCE s NOCACHE',
    "CREATE FUNCTION f(x INT) RETURNS INT MODIFIES SQL DATA BEGIN INSERT INTO t (id, note) VALUES (1000 + x, 'written by f'); RETURN x; END",
    "CREATE PROCEDURE p() INSERT INTO t (id, note) VALUES (2000, 'written by p')",
  ];
  for (const statement of setup) await db.admin.query(statement);
  user = `osiris_ro_${randomBytes(4).toString('hex')}`;
  password = randomBytes(12).toString('hex');
  await db.admin.query('CREATE USER ?@? IDENTIFIED BY ?', [user, '%', password]);
  await db.admin.query(`GRANT ALL ON \`${db.database}\`.* TO ?@?`, [user, '%']);
  await db.admin.query('GRANT FILE ON *.* TO ?@?', [user, '%']);
  outfile = `/tmp/${db.database}.out`;
});

afterAll(async () => {
  if (!db) return;
  removeOutfile();
  await db.admin.query('DROP USER IF EXISTS ?@?', [user, '%']);
  await db.drop();
});

/** Connection options of the admin account the test database came with. */
const adminAccess = () => {
  const server = new URL(mysqlServerUrl());
  return {
    host: db.host,
    port: db.port,
    user: decodeURIComponent(server.username || 'root'),
    password: decodeURIComponent(server.password),
  };
};

/** The case's SQL with this run's file name in place of the table's placeholder path. */
const forServer = (sql: string) => sql.replaceAll(OUTFILE, outfile);
const denied = cases.filter((c) => c.verdict === 'deny');
/** Allowed cases that hold on this MariaDB (the MySQL-only ones are refused for MariaDB). */
const allowed = cases.filter((c) => c.verdict === 'allow' && c.server !== 'mysql');

function removeOutfile(): void {
  // The server writes the file; it can only be removed here when the server runs on this machine.
  if (['127.0.0.1', 'localhost', '::1'].includes(db.host)) rmSync(outfile, { force: true });
}

/** Everything a denied query could have changed on the server, in one read through the admin session. */
async function serverState(): Promise<Record<string, unknown>> {
  const [[state]] = (await db.admin.query(
    `SELECT
       (SELECT GROUP_CONCAT(table_name, ':', table_type ORDER BY table_name) FROM information_schema.tables
         WHERE table_schema = DATABASE()) AS tables,
       (SELECT GROUP_CONCAT(routine_name, ':', routine_type ORDER BY routine_name) FROM information_schema.routines
         WHERE routine_schema = DATABASE()) AS routines,
       (SELECT MD5(GROUP_CONCAT(JSON_ARRAY(id, a, b, note, \`delete\`, doc, created_at) ORDER BY id)) FROM t) AS t,
       (SELECT MD5(GROUP_CONCAT(JSON_ARRAY(id, t_id, name) ORDER BY id)) FROM u) AS u,
       (SELECT next_not_cached_value FROM s) AS sequence,
       (SELECT COUNT(*) FROM mysql.user WHERE user LIKE 'osiris\\_evil%') AS accounts,
       @@global.read_only AS globalReadOnly,
       @@global.max_connections AS maxConnections,
       LOAD_FILE(?) IS NOT NULL AS file`,
    [outfile],
  )) as unknown as [[Record<string, unknown>]];
  return state;
}

/** Whether the named lock is held by anyone (GET_LOCK survives ROLLBACK). */
async function lockHolder(): Promise<unknown> {
  const [[row]] = (await db.admin.query('SELECT IS_USED_LOCK(?) AS holder', [LOCK])) as unknown as [
    [{ holder: unknown }],
  ];
  return row.holder;
}

/** Waits (up to 5 s) until the server has released the named lock of a session that ended. */
async function lockReleased(): Promise<boolean> {
  for (let tries = 0; tries < 50; tries++) {
    if ((await lockHolder()) === null) return true;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return false;
}

// ── (a) the connector's read-only connection: guard and layers together ────────────────────────────────

/** Whether the guard refuses `sql` for MariaDB, the server here (the connector passes the flavour it detected). */
const refusedOnMariaDb = (sql: string) => {
  try {
    validateReadOnly(sql, { server: 'mariadb' });
    return false;
  } catch {
    return true;
  }
};

/** A read-only connection of the connector as the restricted user, one session, a 3 s read timeout. */
async function connectReadOnly(alias: string): Promise<MysqlConnection> {
  const config = mysqlConnector.configSchema.parse({
    host: db.host,
    port: db.port,
    username: user,
    password,
    database: db.database,
    read_only: true,
    read_timeout: 3,
    pool_size: 1,
    max_overflow: 0,
  });
  return (await mysqlConnector.connect(config, { reference: `@mysql.${alias}`, alias })) as MysqlConnection;
}

describe('read-only connection (connector with read_only: true)', () => {
  let connection: MysqlConnection;
  // Cases denied only because the server is unknown or MySQL (a MariaDB builtin) are allowed here.
  const deniedHere = denied.filter((c) => refusedOnMariaDb(c.sql));

  beforeAll(async () => {
    connection = await connectReadOnly('ro');
  });
  afterAll(() => connection?.close());

  it(`refuses the ${deniedHere.length} cases denied on MariaDB, through query() and read(), and changes nothing`, async () => {
    expect(deniedHere.length).toBeGreaterThanOrEqual(denied.length - 2);
    const before = await serverState();
    for (const c of deniedHere) {
      await expect(connection.query(forServer(c.sql)), c.sql).rejects.toMatchObject({
        code: 'READ_ONLY_VIOLATION',
        category: 'read_only',
      });
      const stream = connection.read({ query: forServer(c.sql) });
      await expect(stream[Symbol.asyncIterator]().next(), c.sql).rejects.toMatchObject({
        code: 'READ_ONLY_VIOLATION',
      });
    }
    // pool_size 1: the session that would have run them is the one asked here.
    const { rows } = await connection.query('SELECT @osiris_probe AS probe');
    expect(rows).toEqual([{ probe: null }]);
    expect(await lockHolder()).toBeNull();
    expect(await serverState()).toEqual(before);
  });

  it(`runs the ${allowed.length} allowed cases as plain reads: server errors at most, nothing changes`, async () => {
    const before = await serverState();
    let succeeded = 0;
    for (const c of allowed) {
      try {
        await connection.query(forServer(c.sql));
        succeeded++;
      } catch (error) {
        // MySQL-only syntax and missing objects make the server refuse some; the guard must not, and no
        // SLEEP(5) hidden in a comment may run (read_timeout 3 s would make it a timeout).
        expect(error, c.sql).toBeInstanceOf(ConnectorError);
        expect((error as ConnectorError).category, `${c.sql}: ${(error as Error).message}`).not.toMatch(
          /^(read_only|timeout)$/,
        );
      }
    }
    expect(succeeded).toBeGreaterThan(allowed.length / 2);
    expect(await lockHolder()).toBeNull();
    expect(await serverState()).toEqual(before);
  });

  it("binds a parameter holding quotes and backslashes (O'Brien) so that the guard passes it and it arrives exactly", async () => {
    const values = [
      "O'Brien",
      "it''s",
      "back\\slash\\'",
      'say "hi"',
      "\\' , SLEEP(1) -- '",
      'line\nbreak\ttab',
    ];
    for (const value of values) {
      const { rows } = await connection.query('SELECT ? AS v, ? IN (?) AS listed', [
        value,
        value,
        [value, 'x'],
      ]);
      expect(rows, value).toEqual([{ v: value, listed: 1 }]);
    }
  });

  it('detects MariaDB from its version and catalogue, so its own builtins pass', async () => {
    const { rows } = await connection.query(
      "SELECT ST_AsText(EndPoint(GeomFromText('LINESTRING(0 0, 1 1)'))) AS p, JSON_DETAILED('[1]') IS NOT NULL AS j",
    );
    expect(rows).toEqual([{ p: 'POINT(1 1)', j: 1 }]);
  });
});

describe('server flavour: a stored function named like a MySQL-only builtin', () => {
  const CALL = "SELECT regexp_like('a', 'a') AS r";
  let connection: MysqlConnection;
  beforeAll(async () => {
    // On MariaDB regexp_like is no builtin: this stored function runs instead, and takes a named lock.
    await db.admin.query(
      `CREATE FUNCTION regexp_like(a TEXT, b TEXT) RETURNS INT NO SQL RETURN GET_LOCK('${LOCK}', 0)`,
    );
    connection = await connectReadOnly('flavour');
  });
  afterAll(async () => {
    await connection?.close();
    await db.admin.query('DROP FUNCTION IF EXISTS regexp_like');
  });

  it('is a real hazard: a guard that believed "MySQL" would pass it, and the lock outlives ROLLBACK', async () => {
    expect(() => validateReadOnly(CALL, { server: 'mysql' })).not.toThrow();
    const session = await openSession({ sessionReadOnly: true, timeLimit: 1 });
    try {
      await session.query('START TRANSACTION READ ONLY');
      const [rows] = await session.query(CALL);
      expect(rows).toEqual([{ r: 1 }]);
      await session.query('ROLLBACK');
      expect(await lockHolder()).not.toBeNull();
    } finally {
      await session.end();
    }
    expect(await lockReleased()).toBe(true);
  });

  it('with the version string a proxy reports (no "MariaDB"), detection is unsure and the guard refuses the call', async () => {
    const facts = await readServerFacts(async (sql) => {
      const [rows] = (await db.admin.query(sql)) as unknown as [unknown[]];
      return rows;
    });
    const disguised = flavourOf({ ...facts, version: '8.0.36' });
    expect(disguised).toBeUndefined();
    expect(() => validateReadOnly(CALL, { server: disguised })).toThrow(ConnectorError);
    expect(flavourOf(facts)).toBe('mariadb');
    expect(() => validateReadOnly(CALL, { server: 'mariadb' })).toThrow(ConnectorError);
  });

  it('the read-only connection refuses it before the server runs it', async () => {
    await expect(connection.query(CALL)).rejects.toMatchObject({
      code: 'READ_ONLY_VIOLATION',
      category: 'read_only',
    });
    expect(await lockHolder()).toBeNull();
  });
});

describe('server flavour on a MariaDB whose VERSION() says 8.0.36 (mariadbd --version=8.0.36)', () => {
  let server: PrivateMariadb;
  let connection: MysqlConnection;
  beforeAll(async () => {
    server = await startPrivateMariadb(['--version=8.0.36']);
    const admin = await mysql.createConnection({ host: '127.0.0.1', port: server.port, user: 'root' });
    try {
      await admin.query(
        `CREATE FUNCTION faults.regexp_like(a TEXT, b TEXT) RETURNS INT NO SQL RETURN GET_LOCK('${LOCK}', 0)`,
      );
      await admin.query('CREATE TABLE faults.docs (id INT PRIMARY KEY, doc JSON)');
    } finally {
      await admin.end();
    }
    const config = mysqlConnector.configSchema.parse({
      host: '127.0.0.1',
      port: server.port,
      username: 'root',
      database: 'faults',
      read_only: true,
      read_timeout: 2,
    });
    connection = (await mysqlConnector.connect(config, {
      reference: '@mysql.disguised',
      alias: 'disguised',
    })) as MysqlConnection;
  }, 60_000);
  afterAll(async () => {
    await connection?.close();
    await server?.stop();
  }, 30_000);

  it('opens read-only sessions bounded by the time limit the server has (max_statement_time), not the one VERSION() suggests', async () => {
    const { rows } = await connection.query(
      'SELECT VERSION() AS version, @@SESSION.max_statement_time AS limitSeconds, @@SESSION.tx_read_only AS readOnly',
    );
    expect(rows).toEqual([{ version: '8.0.36', limitSeconds: 2, readOnly: 1n }]);
  });

  it("still finds MariaDB's JSON columns (a LONGTEXT with a json_valid check) by the catalogue, not VERSION()", async () => {
    const docs = (await connection.discover()).find((resource) => resource.name === 'docs');
    expect(docs?.columns?.find((column) => column.name === 'doc')).toMatchObject({
      type: { kind: 'json' },
      nativeType: 'json',
    });
  });

  it('is unsure of the flavour, so a stored function named like a MySQL-only builtin is refused and takes no lock', async () => {
    await expect(connection.query("SELECT regexp_like('a', 'a') AS r")).rejects.toMatchObject({
      code: 'READ_ONLY_VIOLATION',
      details: { rule: 'function' },
    });
    // Builtins both servers share still pass.
    const { rows } = await connection.query("SELECT UPPER('a') AS u, IS_USED_LOCK(?) AS holder", [LOCK]);
    expect(rows).toEqual([{ u: 'A', holder: null }]);
  });
});

describe("the builtin lists come from the servers' own tables", () => {
  it(`MARIADB_BUILTINS is what probing this MariaDB finds (made on ${MARIADB_SOURCE})`, async () => {
    const [[{ version }]] = (await db.admin.query('SELECT VERSION() AS version')) as unknown as [
      [{ version: string }],
    ];
    // A database without stored functions, where every name that is no builtin errors as a stored-function lookup.
    const schema = `${db.database}_probe`;
    await db.admin.query(`CREATE DATABASE \`${schema}\``);
    const probes = await Promise.all(
      [1, 2, 3, 4].map(() => mysql.createConnection({ ...adminAccess(), database: schema })),
    );
    try {
      const found = await probeBuiltins(probes, [...MYSQL_NATIVE_FUNCTIONS, ...MYSQL_GRAMMAR_FUNCTIONS]);
      // Every listed name must still be a builtin here; on the server the list was made on, the lists are equal.
      expect(MARIADB_BUILTINS.filter((name) => !found.includes(name))).toEqual([]);
      if (version.startsWith(`${MARIADB_SOURCE}-`)) expect(found).toEqual([...MARIADB_BUILTINS]);
    } finally {
      await Promise.all(probes.map((probe) => probe.end()));
      await db.admin.query(`DROP DATABASE IF EXISTS \`${schema}\``);
    }
  }, 120_000);

  it('holds the builtins the hand-made list missed, and still refuses the dangerous ones', () => {
    const mariadb = allowedFunctions('mariadb');
    for (const name of [
      'BIT_COUNT',
      'ST_DISTANCE',
      'ASTEXT',
      'ENDPOINT',
      'GEOMFROMTEXT',
      'IS_FREE_LOCK',
      'IS_USED_LOCK',
    ]) {
      expect(mariadb.has(name), name).toBe(true);
    }
    for (const name of [
      'SLEEP',
      'BENCHMARK',
      'GET_LOCK',
      'RELEASE_LOCK',
      'RELEASE_ALL_LOCKS',
      'LOAD_FILE',
      'MASTER_POS_WAIT',
      'MASTER_GTID_WAIT',
      'NEXTVAL',
      'SETVAL',
      'BINLOG_GTID_POS',
    ]) {
      expect(MARIADB_BUILTINS.includes(name), `${name} is a MariaDB builtin`).toBe(true);
      expect(mariadb.has(name), name).toBe(false);
      expect(() => validateReadOnly(`SELECT ${name}(1)`, { server: 'mariadb' })).toThrow(ConnectorError);
    }
  });
});

// ── (b) what each server-side layer stops on its own ────────────────────────────────────────────────────

interface Layers {
  /** SET SESSION TRANSACTION READ ONLY. */
  sessionReadOnly?: boolean;
  /** SET SESSION max_statement_time (seconds). */
  timeLimit?: number;
}

/** A session as the restricted user, with multi-statements and LOCAL INFILE off and the given layers. */
async function openSession(layers: Layers): Promise<mysql.Connection> {
  const session = await mysql.createConnection({
    host: db.host,
    port: db.port,
    user,
    password,
    database: db.database,
    multipleStatements: false,
    // IGNORE_SPACE off as well: the stricter case for name resolution (mysql2 turns it on by default).
    flags: ['-LOCAL_FILES', '-MULTI_STATEMENTS', '-IGNORE_SPACE'],
  });
  if (layers.timeLimit !== undefined)
    await session.query('SET SESSION max_statement_time = ?', [layers.timeLimit]);
  if (layers.sessionReadOnly) await session.query('SET SESSION TRANSACTION READ ONLY');
  return session;
}

/** Runs `sql`, returning rows or the server's error number. */
async function attempt(session: mysql.Connection, sql: string): Promise<{ rows?: unknown; errno?: number }> {
  try {
    const [rows] = await session.query(sql);
    return { rows };
  } catch (error) {
    return { errno: (error as { errno?: number }).errno };
  }
}

const READ_ONLY_TRANSACTION = 1792; // ER_CANT_EXECUTE_IN_READ_ONLY_TRANSACTION

describe('server-side layers on their own', () => {
  it('session read-only stops INSERT, DDL and sequence writes, not INTO OUTFILE, GET_LOCK, := or ANALYZE TABLE', async () => {
    const session = await openSession({ sessionReadOnly: true });
    try {
      const before = await serverState();
      expect((await attempt(session, "INSERT INTO t (id, note) VALUES (50, 'x')")).errno).toBe(
        READ_ONLY_TRANSACTION,
      );
      expect((await attempt(session, 'CREATE TABLE ddl_probe (a INT)')).errno).toBe(READ_ONLY_TRANSACTION);
      expect((await attempt(session, 'DROP TABLE u')).errno).toBe(READ_ONLY_TRANSACTION);
      expect((await attempt(session, 'SELECT NEXTVAL(s)')).errno).toBe(READ_ONLY_TRANSACTION);
      expect((await attempt(session, 'SELECT f(1)')).errno).toBe(READ_ONLY_TRANSACTION);
      expect(await serverState()).toEqual(before);

      expect((await attempt(session, `SELECT 1 INTO OUTFILE '${outfile}'`)).errno).toBeUndefined();
      expect((await serverState()).file).toBe(1);
      expect((await attempt(session, `SELECT GET_LOCK('${LOCK}', 0) AS got`)).rows).toEqual([{ got: 1 }]);
      expect(await lockHolder()).not.toBeNull();
      expect((await attempt(session, 'SELECT @osiris_probe := 5 AS v')).rows).toEqual([{ v: 5 }]);
      expect((await attempt(session, 'ANALYZE TABLE t')).errno).toBeUndefined();
    } finally {
      await session.end();
      removeOutfile();
    }
    expect(await lockReleased()).toBe(true); // released only because the session ended
  });

  it('a read-only transaction alone stops INSERT but not DDL: CREATE TABLE commits it implicitly and runs', async () => {
    const session = await openSession({});
    try {
      await session.query('START TRANSACTION READ ONLY');
      expect((await attempt(session, "INSERT INTO t (id, note) VALUES (51, 'x')")).errno).toBe(
        READ_ONLY_TRANSACTION,
      );
      expect((await attempt(session, 'CREATE TABLE ddl_probe (a INT)')).errno).toBeUndefined();
      await session.query('ROLLBACK');
      const [tables] = await db.admin.query("SHOW TABLES LIKE 'ddl_probe'");
      expect(tables).toHaveLength(1);
    } finally {
      await session.end();
      await db.admin.query('DROP TABLE IF EXISTS ddl_probe');
    }
  });

  it('the statement time limit stops SLEEP and BENCHMARK, but SET STATEMENT lifts it', async () => {
    const session = await openSession({ timeLimit: 0.3 });
    try {
      let started = Date.now();
      expect((await attempt(session, 'SELECT SLEEP(3)')).errno).toBe(1969); // ER_STATEMENT_TIMEOUT
      expect(Date.now() - started).toBeLessThan(2_500);
      started = Date.now();
      await attempt(session, 'SELECT BENCHMARK(1000000000, MD5(1))');
      expect(Date.now() - started).toBeLessThan(2_500);
      started = Date.now();
      expect(
        (await attempt(session, 'SET STATEMENT max_statement_time = 0 FOR SELECT SLEEP(1) AS s')).rows,
      ).toEqual([{ s: 0 }]);
      expect(Date.now() - started).toBeGreaterThanOrEqual(950);
    } finally {
      await session.end();
    }
  });

  it('multi-statements off stops stacked statements, not a compound BEGIN NOT ATOMIC … END', async () => {
    const session = await openSession({});
    try {
      expect((await attempt(session, 'SELECT 1; DROP TABLE u')).errno).toBe(1064);
      const [tables] = await db.admin.query("SHOW TABLES LIKE 'u'");
      expect(tables).toHaveLength(1);
      expect(
        (await attempt(session, "BEGIN NOT ATOMIC INSERT INTO t (id, note) VALUES (7777, 'compound'); END"))
          .errno,
      ).toBeUndefined();
      const [rows] = await db.admin.query('SELECT note FROM t WHERE id = 7777');
      expect(rows).toEqual([{ note: 'compound' }]);
    } finally {
      await session.end();
      await db.admin.query('DELETE FROM t WHERE id = 7777');
    }
  });

  it('LOCAL INFILE off refuses LOAD DATA LOCAL', async () => {
    const session = await openSession({});
    try {
      const before = await serverState();
      expect((await attempt(session, "LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE u")).errno).toBe(
        4166,
      );
      expect(await serverState()).toEqual(before);
    } finally {
      await session.end();
    }
  });
});

// ── (c) every denied case through all the layers, without the guard ────────────────────────────────────

describe('all server-side layers together, without the guard', () => {
  it('keep every denied case from changing data, yet files, locks, variables and time leak through', async () => {
    const base = await serverState();
    const leaks: Array<{ sql: string; leak: string }> = [];
    const layers = { sessionReadOnly: true, timeLimit: 0.1 };
    let session = await openSession(layers);
    try {
      for (const c of denied) {
        const started = Date.now();
        await attempt(session, 'START TRANSACTION READ ONLY');
        await attempt(session, forServer(c.sql));
        await attempt(session, 'ROLLBACK');
        if (Date.now() - started > 900) leaks.push({ sql: c.sql, leak: 'time' });
        const after = await attempt(
          session,
          `SELECT @osiris_probe AS probe, IS_USED_LOCK('${LOCK}') AS holder`,
        );
        const [effects] = (after.rows ?? [{ probe: null, holder: null }]) as Array<{
          probe: unknown;
          holder: unknown;
        }>;
        if (effects?.probe !== null) leaks.push({ sql: c.sql, leak: 'variable' });
        if (effects?.holder !== null) leaks.push({ sql: c.sql, leak: 'lock' });
        // A clean session again (COM_CHANGE_USER drops variables, user locks, table locks), layers back on.
        try {
          await session.changeUser({ user, password, database: db.database });
        } catch {
          await session.end().catch(() => {});
          session = await openSession(layers);
        }
        await session.query('SET SESSION max_statement_time = ?, SESSION tx_read_only = 1', [
          layers.timeLimit,
        ]);
        const state = await serverState();
        if (state.file) {
          leaks.push({ sql: c.sql, leak: 'file' });
          removeOutfile();
          state.file = base.file;
        }
        expect(state, `${c.sql} changed the server`).toEqual(base);
      }
    } finally {
      await session.end();
    }
    console.info(`Denied cases that got past the server layers without the guard (${leaks.length}):`);
    console.table(leaks);
    const leaked = (sql: string) => leaks.filter((entry) => entry.sql === sql).map((entry) => entry.leak);
    expect(leaked(`SELECT * FROM t INTO OUTFILE '${OUTFILE}'`)).toEqual(['file']);
    expect(leaked(`SELECT 1 INTO DUMPFILE '${OUTFILE}'`)).toEqual(['file']);
    expect(leaked(`SELECT GET_LOCK('${LOCK}', 0)`)).toEqual(['lock']);
    expect(leaked('SELECT @osiris_probe := 1')).toEqual(['variable']);
    expect(leaked('SELECT 1 INTO @osiris_probe')).toEqual(['variable']);
    expect(leaked('SET STATEMENT max_statement_time = 0 FOR SELECT SLEEP(1)')).toEqual(['time']);
    expect(leaks.every((entry) => ['file', 'lock', 'variable', 'time'].includes(entry.leak))).toBe(true);
  });
});

// ── (d) the guard and the server read the text alike ───────────────────────────────────────────────────

describe('the guard and MariaDB read the same text alike, in every sql_mode', () => {
  const modes = [
    '',
    'NO_BACKSLASH_ESCAPES',
    'ANSI_QUOTES',
    'ANSI',
    'IGNORE_SPACE',
    'ORACLE',
    'NO_BACKSLASH_ESCAPES,PIPES_AS_CONCAT',
  ];
  /** Lexer-sensitive pieces plus two markers: a lock taken or a variable set means the server ran them. */
  const piece = fc.constantFrom(
    `GET_LOCK('${LOCK}', 0)`,
    '@osiris_probe := 1',
    'INTO @osiris_probe',
    ...[
      ',',
      ' ',
      '\n',
      '\r',
      '\t',
      "'",
      '"',
      '`',
      '\\',
      "\\'",
      '\\"',
      "''",
      '""',
      '--',
      '-- ',
      '#',
      '/*',
      '*/',
      '/**/',
    ],
    ...[
      '1',
      '1.5',
      '.5',
      '1e5',
      'e',
      '+',
      '-',
      '.',
      'X',
      'N',
      '_utf8mb4',
      '(',
      ')',
      '@',
      '@@',
      '\u00a0',
      'a',
      'AS',
    ],
    ...['FROM dual', 'WHERE', 'OR', '||', 'CONCAT(', '0x', '{', '}', 'd', 'FOR', '!', '1.', ';'],
  );
  const soup = fc.array(piece, { minLength: 1, maxLength: 14 }).map((pieces) => `SELECT ${pieces.join('')}`);
  let sessions: mysql.Connection[] = [];

  beforeAll(async () => {
    sessions = await Promise.all(
      modes.map(async (mode) => {
        const session = await openSession({ timeLimit: 0.2 });
        await session.query('SET SESSION sql_mode = ?', [mode]);
        return session;
      }),
    );
  });
  afterAll(() => Promise.all(sessions.map((session) => session.end())));

  it('never lets through text in which the server finds a call or an assignment the guard read as inert', async () => {
    let allowedSoups = 0;
    await fc.assert(
      fc.asyncProperty(soup, async (sql) => {
        try {
          validateReadOnly(sql, { server: 'mariadb' });
        } catch {
          return;
        }
        allowedSoups++;
        const effects = await Promise.all(
          sessions.map(async (session, index) => {
            await attempt(session, sql);
            const { rows } = await attempt(
              session,
              `SELECT @osiris_probe AS probe, IS_USED_LOCK('${LOCK}') AS holder`,
            );
            const [row] = rows as Array<{ probe: unknown; holder: unknown }>;
            return { mode: modes[index], probe: row?.probe, holder: row?.holder };
          }),
        );
        expect(
          effects.filter((effect) => effect.probe !== null || effect.holder !== null),
          sql,
        ).toEqual([]);
      }),
      { numRuns: 400 },
    );
    expect(allowedSoups).toBeGreaterThan(50);
  });
});

// ── (e) no spelling the guard allows reaches a stored function ──────────────────────────────────────────

describe('builtin names versus stored functions of the same name', () => {
  const mariadb = allowedFunctions('mariadb');
  const mysqlOnly = [...allowedFunctions('mysql')].filter((name) => !mariadb.has(name));
  const contextual = ['AGAINST', 'COLUMNS', 'OF', 'JSON_TABLE', 'ESCAPE', 'LATERAL', 'OJ'];
  /** Names the guard refuses to call, to try in the places where it does not treat "name(" as a call. */
  const refused = ['SLEEP', 'GET_LOCK', 'LOAD_FILE', 'BENCHMARK', 'F'];
  const names = [...new Set([...mariadb, ...NOT_CALLS, ...contextual, ...mysqlOnly, ...refused])];
  /** Calls of `name` with 0 to 3 arguments and with a space: a keyword function's grammar takes fixed forms. */
  const calls = (name: string) => [
    `SELECT ${name}()`,
    `SELECT ${name}(1)`,
    `SELECT ${name}(1, 2)`,
    `SELECT ${name}(1, 2, 3)`,
    `SELECT ${name} (1)`,
  ];
  /** Places where the guard reads "name(" as something other than a call (column lists, clauses). */
  const nonCalls = (name: string) => [
    `SELECT (1) ${name}(a)`,
    `SELECT (1) AS ${name}(a, b)`,
    `SELECT 'x' ${name}(1)`,
    `SELECT 1 MEMBER ${name}(1)`,
    `SELECT 1 AS ${name}(1)`,
    `SELECT 1 FROM ${name}(1) AS x`,
    `SELECT 1 FROM t, ${name}(1) AS x`,
    `SELECT 1 FROM t WHERE MATCH (note) ${name}(1)`,
    `SELECT 'a' LIKE 'b' ${name}('c')`,
    `SELECT 1 FROM t JOIN ${name}(SELECT 1) AS x ON TRUE`,
    `SELECT { ${name} (1) }`,
  ];
  const spellings = (name: string) => [
    ...calls(name),
    ...(contextual.includes(name) || refused.includes(name) ? nonCalls(name) : []),
  ];

  let sessions: mysql.Connection[] = [];
  let schema: string;
  beforeAll(async () => {
    // A stored function for every name, which the servers would call instead of the builtin where they can.
    schema = `${db.database}_names`;
    await db.admin.query(`CREATE DATABASE \`${schema}\``);
    await db.admin.query(`GRANT ALL ON \`${schema}\`.* TO ?@?`, [user, '%']);
    const creator = await mysql.createConnection({ ...adminAccess(), multipleStatements: true });
    try {
      await creator.query(
        names
          .map((name) => `CREATE FUNCTION \`${schema}\`.\`${name}\`(a INT) RETURNS CHAR(6) RETURN 'STORED';`)
          .join('\n'),
      );
    } finally {
      await creator.end();
    }
    sessions = await Promise.all([1, 2, 3].map(() => openSession({ sessionReadOnly: true, timeLimit: 1 })));
    for (const session of sessions) await session.query(`USE \`${schema}\``);
  });
  afterAll(async () => {
    await Promise.all(sessions.map((session) => session.end()));
    await db.admin.query(`DROP DATABASE IF EXISTS \`${schema}\``);
  });

  /** True when the server ran the stored function: its result, or its argument-count error (1318). */
  async function reachesStoredFunction(session: mysql.Connection, sql: string): Promise<boolean> {
    try {
      const [rows] = await session.query(sql);
      return JSON.stringify(rows).includes('STORED');
    } catch (error) {
      return (error as { errno?: number }).errno === 1318;
    }
  }

  /** The statements among `queries` that reach a stored function, run over the sessions in parallel. */
  async function reaching(queries: string[]): Promise<string[]> {
    const found: string[] = [];
    let next = 0;
    await Promise.all(
      sessions.map(async (session) => {
        while (next < queries.length) {
          const sql = queries[next++]!;
          if (await reachesStoredFunction(session, sql)) found.push(sql);
        }
      }),
    );
    return found.sort();
  }

  it('MariaDB never runs a stored function for a call the guard lets through', async () => {
    const allowedSpellings = names.flatMap(spellings).filter((sql) => {
      try {
        validateReadOnly(sql, { server: 'mariadb' });
        return true;
      } catch {
        return false;
      }
    });
    expect(allowedSpellings.length).toBeGreaterThan(names.length * 3);
    expect(await reaching(allowedSpellings)).toEqual([]);
  });

  it('MySQL-only builtins are stored-function names on MariaDB, so a guard for MariaDB or an unknown server refuses them', async () => {
    const reached = await reaching(mysqlOnly.map((name) => `SELECT ${name}(1)`));
    expect(reached).toHaveLength(mysqlOnly.length);
    for (const name of mysqlOnly) {
      expect(() => validateReadOnly(`SELECT ${name}(1)`)).toThrow(ConnectorError);
      expect(() => validateReadOnly(`SELECT ${name}(1)`, { server: 'mariadb' })).toThrow(ConnectorError);
    }
  });
});
