/**
 * The companion tables of a replace (`<table>__osiris_new_<token>`, the shadow it loads, and
 * `<table>__osiris_old_<token>`, the old content it swaps out), the named lock that marks them as owned by a
 * live replace, and the sweep that drops those a crashed replace left behind.
 */
import { randomBytes } from 'node:crypto';
import type { ServerConnection } from '../server-connection.js';
import { quoteIdentifier } from '../sql.js';

/** Characters of the table's name a companion keeps (MySQL names are at most 64 characters). */
const KEPT = 40;

/** The two companions of one replace, and the lock its session holds while it runs. */
export interface Companions {
  /** The shadow table the rows are loaded into. */
  shadow: string;
  /** The name the old content takes in the swap, dropped right after. */
  old: string;
  /** Server-wide lock name (`GET_LOCK`), held by the replace's session. */
  lock: string;
}

const lockFor = (token: string) => `osiris_replace_${token}`;

/**
 * Names this replace's companions and takes their lock. The lock is released by `release`, or by the server
 * when the session dies: a companion whose lock nobody holds belongs to no running replace.
 */
export async function claimCompanions(connection: ServerConnection, table: string): Promise<Companions> {
  const token = randomBytes(4).toString('hex');
  const base = `${table.slice(0, KEPT)}__osiris_`;
  const companions = { shadow: `${base}new_${token}`, old: `${base}old_${token}`, lock: lockFor(token) };
  await connection.run('SELECT GET_LOCK(?, 0)', [companions.lock]);
  return companions;
}

/** Gives the lock back; a session that cannot is retired, so a pooled session never keeps it. */
export async function releaseCompanions(connection: ServerConnection, companions: Companions): Promise<void> {
  await connection.run('SELECT RELEASE_LOCK(?)', [companions.lock]).catch(() => {
    connection.broken = true;
  });
}

/**
 * Drops the companions of `table` that a killed or crashed replace left behind (their lock is free), never
 * one a running replace owns.
 */
export async function dropStaleCompanions(
  connection: ServerConnection,
  schema: string,
  table: string,
): Promise<void> {
  const base = `${table.slice(0, KEPT)}__osiris_`;
  const { rows } = await connection.run(
    `SELECT TABLE_NAME AS name FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = ? AND LEFT(TABLE_NAME, ?) = ?`,
    [schema, base.length, base],
  );
  for (const { name } of rows as Array<{ name: string }>) {
    const token = /^(?:new|old)_([0-9a-f]{8})$/.exec(name.slice(base.length))?.[1];
    if (token === undefined) continue;
    const { rows: owner } = await connection.run('SELECT IS_USED_LOCK(?) AS owner', [lockFor(token)]);
    if ((owner as Array<{ owner: unknown }>)[0]?.owner !== null) continue;
    await connection.run(`DROP TABLE IF EXISTS ${quoteIdentifier(name)}`);
  }
}
