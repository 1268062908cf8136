import { describe, expect, test } from 'vitest';
import { mysqlConfigSchema } from '../src/config.js';
import { ConnectionOpener } from '../src/connection-opener.js';
import { ReadOnlyLayers } from '../src/read-only/server-layers.js';
import { configFor, useDatabase } from './support.js';

/**
 * The server-side layers of a read-only connection, each checked on its own by running statements on a
 * read-only session directly (below the read-only guard, which would refuse them first).
 */
describe('read-only connection: server-side layers', () => {
  const { db, open } = useDatabase();

  async function readOnlySession(overrides: Record<string, unknown> = {}) {
    const config = mysqlConfigSchema.parse(
      configFor(db(), { read_only: true, read_timeout: 1, ...overrides }),
    );
    return { session: await new ConnectionOpener(config, {}, new ReadOnlyLayers(config)).open() };
  }

  test('the session is read-only with a statement time limit, and statements run in a read-only transaction', async () => {
    const connection = await open({ read_only: true, read_timeout: 2 });
    const { rows } = await connection.query(
      'SELECT @@SESSION.tx_read_only AS sessionReadOnly, @@SESSION.max_statement_time AS limitSeconds, @@in_transaction AS inTransaction',
    );
    expect(rows).toEqual([{ sessionReadOnly: 1n, limitSeconds: 2, inTransaction: 1n }]);
    // Nothing is left open between statements.
    const again = await connection.query('SELECT @@in_transaction AS inTransaction');
    expect(again.rows).toEqual([{ inTransaction: 1n }]);
  });

  test('the read-only session refuses writes on its own', async () => {
    await db().admin.query('CREATE TABLE IF NOT EXISTS layered (id INT PRIMARY KEY)');
    const { session } = await readOnlySession();
    try {
      await expect(session.run('INSERT INTO layered VALUES (1)')).rejects.toMatchObject({ errno: 1792 });
      const [rows] = await db().admin.query('SELECT COUNT(*) AS n FROM layered');
      expect(rows).toEqual([{ n: 0 }]);
    } finally {
      await session.close(false);
    }
  });

  test('the statement time limit stops a long statement', async () => {
    const { session } = await readOnlySession();
    try {
      const started = Date.now();
      await expect(session.run('SELECT SLEEP(10)')).rejects.toMatchObject({ errno: 1969 });
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      await session.close(false);
    }
  });

  test('multiple statements in one call are refused by the server', async () => {
    const { session } = await readOnlySession();
    try {
      await expect(session.run('SELECT 1; SELECT 2')).rejects.toMatchObject({ errno: 1064 });
    } finally {
      await session.close(false);
    }
  });

  test('LOAD DATA LOCAL INFILE is refused: the client does not offer local files', async () => {
    const { session } = await readOnlySession({ read_only: true });
    try {
      await expect(
        session.run("LOAD DATA LOCAL INFILE '/etc/hostname' INTO TABLE layered"),
      ).rejects.toMatchObject({ errno: expect.any(Number) });
      const [rows] = await db().admin.query('SELECT COUNT(*) AS n FROM layered');
      expect(rows).toEqual([{ n: 0 }]);
    } finally {
      await session.close(false);
    }
  });

  test('DDL: a read-only transaction alone does not stop it on MariaDB, the read-only session does', async () => {
    // Alone, START TRANSACTION READ ONLY lets DDL through (its implicit commit ends the transaction first).
    await db().admin.query('START TRANSACTION READ ONLY');
    await db().admin.query('CREATE TABLE made_in_read_only_transaction (id INT)');
    const [made] = await db().admin.query("SHOW TABLES LIKE 'made_in_read_only_transaction'");
    expect(made).toHaveLength(1);
    // The session's read-only mode refuses it, with and without a transaction around it.
    const { session } = await readOnlySession();
    try {
      await expect(session.run('CREATE TABLE made_by_ddl (id INT)')).rejects.toMatchObject({ errno: 1792 });
      await session.run('START TRANSACTION READ ONLY');
      await expect(session.run('DROP TABLE made_in_read_only_transaction')).rejects.toMatchObject({
        errno: 1792,
      });
      const [rows] = await db().admin.query("SHOW TABLES LIKE 'made%'");
      expect(rows).toHaveLength(1);
    } finally {
      await session.close(false);
    }
  });
});
