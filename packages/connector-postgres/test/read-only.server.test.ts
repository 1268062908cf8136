import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { createPostgresDatabase, databaseUrl, type TestPostgresDatabase } from '@osiris/test-services';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type PostgresConnection, postgresConfigSchema, validateReadOnly } from '../src/index.js';
import { createPool } from '../src/pool.js';
import { runQuery } from '../src/query.js';
import { Sessions } from '../src/session.js';
import { cases } from './fixtures/read-only-cases.js';
import { collect, connect } from './support.js';

/**
 * A read-only connection against the real server. The statements run as a role that owns the test schema
 * (so writes, DDL and sequence changes are possible in principle) but is no superuser (so a case like
 * pg_reload_conf or COPY … PROGRAM cannot reach the shared server even below the check).
 */
let db: TestPostgresDatabase;
let role: string;
let url: string;

beforeAll(async () => {
  db = await createPostgresDatabase('osiris_ro');
  role = `osiris_ro_${randomBytes(4).toString('hex')}`;
  await db.sql(`CREATE ROLE ${role} LOGIN; GRANT ALL ON SCHEMA public TO ${role}; SET ROLE ${role};
    CREATE TABLE t (id int PRIMARY KEY, a int, b int, note text, "update" int, doc json);
    CREATE TABLE u (id int PRIMARY KEY, t_id int, name text);
    INSERT INTO t VALUES (1, 1, 2, 'alpha', 0, '{"a": {"b": 1}}'), (2, 3, 4, 'beta', 1, '[1]');
    INSERT INTO u VALUES (1, 1, 'x'), (2, 2, 'y');
    CREATE SEQUENCE s;
    CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ INSERT INTO t (id) VALUES (999) RETURNING id $$;
    CREATE MATERIALIZED VIEW m AS SELECT 1 AS one;
    RESET ROLE;`);
  const server = new URL(db.url);
  server.username = role;
  url = databaseUrl(server.toString(), db.database);
});

afterAll(async () => {
  if (!db) return;
  await db.drop();
  const admin = await createPostgresDatabase('osiris_ro_cleanup');
  await admin.sql(`DROP ROLE IF EXISTS ${role}`);
  await admin.drop();
});

/** Everything a denied statement could have changed, as the admin sees it. */
async function snapshot() {
  const { rows } = await db.sql(`SELECT
      (SELECT json_agg(t ORDER BY id) FROM t)::text AS t,
      (SELECT json_agg(u ORDER BY id) FROM u)::text AS u,
      (SELECT last_value || ':' || is_called FROM s) AS sequence,
      (SELECT count(*) FROM pg_largeobject_metadata) AS large_objects,
      (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'
         AND database = (SELECT oid FROM pg_database WHERE datname = current_database())) AS advisory_locks,
      (SELECT string_agg(relname, ',' ORDER BY relname) FROM pg_class WHERE relnamespace = 'public'::regnamespace) AS relations,
      (SELECT count(*) FROM m) AS view_rows`);
  return rows[0];
}

const config = (overrides: Record<string, unknown> = {}) =>
  postgresConfigSchema.parse({ url, read_only: true, statement_timeout: 0.5, pool_size: 1, ...overrides });

describe('read-only connection on the real server', () => {
  test('every denied case is refused through the connection and nothing changes', async () => {
    const before = await snapshot();
    const connection = await connect({ url, read_only: true, statement_timeout: 1 });
    try {
      for (const c of cases.filter((item) => item.verdict === 'deny')) {
        await expect(connection.query(c.sql), c.sql).rejects.toMatchObject({ code: 'READ_ONLY_VIOLATION' });
        await expect(collect(connection.read({ query: c.sql })), c.sql).rejects.toMatchObject({
          category: expect.any(String),
        });
      }
    } finally {
      await connection.close();
    }
    expect(await snapshot()).toEqual(before);
  });

  test('every allowed case runs on the read-only connection', async () => {
    const connection = await connect({ url, read_only: true, statement_timeout: 5 });
    try {
      for (const c of cases.filter((item) => item.verdict === 'allow')) {
        const params = /\$2/.test(c.sql)
          ? [1, 2]
          : /\$1/.test(c.sql)
            ? /current_setting|currval/.test(c.sql)
              ? ['search_path']
              : [1]
            : [];
        if (/currval/.test(c.sql)) continue; // currval needs a nextval in the session first, which is denied.
        await expect(
          connection.query(c.sql, params).then(() => 'ran'),
          c.sql,
        ).resolves.toBe('ran');
      }
    } finally {
      await connection.close();
    }
  });

  /**
   * Below the check: each denied statement straight to the server through the same session layer a
   * read-only connection uses (startup settings, read-only transaction with its snapshot taken, extended
   * protocol, statement_timeout, rollback, DISCARD ALL). Records what stops it; nothing may change.
   */
  test('the server layers on their own: what each stops, and nothing changes', async () => {
    const before = await snapshot();
    const parsed = config();
    const { pool } = createPool(parsed);
    const sessions = new Sessions({ pool, host: parsed.host, port: parsed.port, resetOnRelease: true });
    const outcomes: Array<{ sql: string; rule?: string; stoppedBy: string }> = [];
    try {
      for (const c of cases.filter((item) => item.verdict === 'deny')) {
        let stoppedBy = 'nothing (only the check)';
        try {
          await sessions.use({}, (session) =>
            session.readOnlyTransaction(() => runQuery(session, c.sql, /\$1/.test(c.sql) ? [1] : [])),
          );
        } catch (error) {
          const sqlState = (error as { details?: { sqlState?: string } }).details?.sqlState;
          stoppedBy = sqlState ?? (error as Error).message.slice(0, 60);
        }
        outcomes.push({ sql: c.sql, rule: c.rule, stoppedBy });
      }
      // After the last call the pooled session was reset: no lock, no setting survives.
      const { rows } = await sessions.use({}, (session) =>
        runQuery(
          session,
          "SELECT current_setting('search_path') AS path, current_setting('transaction_read_only') AS ro, (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid())::int AS locks",
          [],
        ),
      );
      expect(rows).toEqual([{ path: '"$user", public', ro: 'on', locks: 0 }]);
    } finally {
      await pool.end();
    }
    if (process.env.OSIRIS_PROBE_OUT)
      writeFileSync(process.env.OSIRIS_PROBE_OUT, JSON.stringify(outcomes, null, 2));
    expect(await snapshot()).toEqual(before);
    const stopped = (sql: string) => outcomes.find((outcome) => outcome.sql === sql)?.stoppedBy;
    // The read-only transaction stops writes, DDL and sequence changes.
    expect(stopped('INSERT INTO t (id) VALUES (100)')).toBe('25006');
    expect(stopped('WITH x AS (DELETE FROM t RETURNING *) SELECT * FROM x')).toBe('25006');
    expect(stopped("SELECT nextval('s')")).toBe('25006');
    // Its snapshot is taken before the statement, so it cannot be turned read-write.
    expect(stopped('SET transaction_read_only = off')).toBe('25001');
    // The extended protocol runs one statement.
    expect(stopped('SELECT 1 ; DELETE FROM t')).toBe('42601');
    // statement_timeout cuts a sleep.
    expect(stopped('SELECT pg_sleep(10)')).toBe('57014');
    // What only the check stops: session locks (released by the reset), settings (undone by the rollback).
    expect(stopped('SELECT pg_advisory_lock(1)')).toBe('nothing (only the check)');
    expect(stopped("SELECT set_config('search_path', 'x', false)")).toBe('nothing (only the check)');
  });

  test('the session is read-only by default; a SET in one call does not outlive it', async () => {
    const parsed = config();
    const { pool } = createPool(parsed);
    const sessions = new Sessions({ pool, host: parsed.host, port: parsed.port, resetOnRelease: true });
    try {
      await sessions.use({}, (session) =>
        session.script('SET SESSION CHARACTERISTICS AS TRANSACTION READ WRITE'),
      );
      const { rows } = await sessions.use({}, (session) =>
        runQuery(session, "SELECT current_setting('default_transaction_read_only') AS ro", []),
      );
      expect(rows).toEqual([{ ro: 'on' }]);
      await expect(
        sessions.use({}, (session) => runQuery(session, 'INSERT INTO t (id) VALUES (101)', [])),
      ).rejects.toMatchObject({
        details: { sqlState: '25006' },
      });
    } finally {
      await pool.end();
    }
  });

  test('writes are refused before they start; reads work; check says read-only', async () => {
    const connection: PostgresConnection = await connect({ url, read_only: true });
    try {
      await expect(connection.write({ table: 't', rows: [[{ id: 5 }]] })).rejects.toMatchObject({
        code: 'READ_ONLY_VIOLATION',
      });
      expect(await collect(connection.read({ table: 't', columns: ['id'], orderBy: 'id' }))).toEqual([
        { id: 1 },
        { id: 2 },
      ]);
      expect((await connection.check()).details).toMatchObject({ readOnly: true });
      expect(() => validateReadOnly('SELECT f()')).not.toThrow();
      // A stored function that writes passes the check, and the read-only transaction stops it.
      await expect(connection.query('SELECT f()')).rejects.toMatchObject({
        code: 'READ_ONLY_VIOLATION',
        details: { sqlState: '25006' },
      });
    } finally {
      await connection.close();
    }
  });
});
