/**
 * The typed contract's promise, end to end: the type zoo (every common MySQL type at its edge values) moves
 * MySQL → A → B → MySQL through nothing but `read()` and `write()`, for every pair A ≠ B of MySQL, CSV,
 * JSON Lines and Supabase, and comes back cell for cell as the server's own text — or a hop refuses before
 * it writes a row, naming row, column and type.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import filesystem, { type FsConnection } from '@osiris/connector-fs';
import mysql, { type MysqlConnection } from '@osiris/connector-mysql';
import supabase, { type SupabaseConnection } from '@osiris/connector-supabase';
import { type Connection, ConnectorError, type RowBatchStream, type RowSource } from '@osiris/core';
import {
  createTestDatabase,
  createTypeZoo,
  type SupabaseTestService,
  startSupabaseTestService,
  type TestDatabase,
  TYPE_ZOO_COLUMNS,
  zooServerText,
} from '@osiris/test-services';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';

type Endpoint = 'mysql' | 'csv' | 'jsonl' | 'supabase';
const ENDPOINTS: readonly Endpoint[] = ['mysql', 'csv', 'jsonl', 'supabase'];

/** Where one hop of a route keeps the zoo. */
interface Place {
  write(rows: RowSource): Promise<unknown>;
  read(): RowBatchStream;
  /** Rows the place holds (0 when it was never created). */
  count(): Promise<number>;
}

let db: TestDatabase;
let api: SupabaseTestService;
let dir: string;
let my: MysqlConnection;
let files: FsConnection;
let rest: SupabaseConnection;
const opened: Connection[] = [];

beforeAll(async () => {
  [db, api, dir] = await Promise.all([
    createTestDatabase('osiris_matrix'),
    startSupabaseTestService(),
    mkdtemp(join(tmpdir(), 'osiris-matrix-')),
  ]);
  await createTypeZoo(db.admin, db.database);
  my = (await mysql.connect(
    mysql.configSchema.parse({
      host: db.host,
      port: db.port,
      user: db.user,
      password: db.password,
      database: db.database,
    }),
    { reference: '@mysql.matrix', alias: 'matrix' },
  )) as MysqlConnection;
  files = (await filesystem.connect(filesystem.configSchema.parse({ base_dir: dir }), {
    reference: '@filesystem.matrix',
    alias: 'matrix',
  })) as FsConnection;
  rest = (await supabase.connect(
    supabase.configSchema.parse({
      url: api.url,
      key: api.serviceRoleKey,
      db_url: api.dbUrl,
      schema: api.schema,
    }),
    { reference: '@supabase.matrix', alias: 'matrix' },
  )) as SupabaseConnection;
  opened.push(my, files, rest);
}, 120_000);

afterAll(async () => {
  await Promise.allSettled(opened.map((connection) => connection.close()));
  await Promise.allSettled([db?.drop(), api?.stop(), dir && rm(dir, { recursive: true, force: true })]);
});

function place(endpoint: Endpoint, name: string): Place {
  switch (endpoint) {
    case 'mysql':
      return {
        write: (rows) => my.write({ table: name, rows, createIfMissing: true }),
        read: () => my.read({ table: name, orderBy: 'id' }),
        count: async () => {
          const [rows] = await db.admin.query(
            'SELECT COUNT(*) AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?',
            [db.database, name],
          );
          if (Number((rows as Array<{ n: number }>)[0]?.n) === 0) return 0;
          const [counted] = await db.admin.query(`SELECT COUNT(*) AS n FROM \`${db.database}\`.\`${name}\``);
          return Number((counted as Array<{ n: number }>)[0]?.n);
        },
      };
    case 'csv':
    case 'jsonl': {
      const path = `${name}.${endpoint}`;
      return {
        write: (rows) => files.write({ path, format: endpoint, rows }),
        read: () => files.read({ path }),
        count: async () => {
          try {
            let n = 0;
            for await (const batch of files.read({ path })) n += batch.length;
            return n;
          } catch (error) {
            if (error instanceof ConnectorError && error.category === 'not_found') return 0;
            throw error;
          }
        },
      };
    }
    case 'supabase': {
      const table = api.table(name);
      return {
        write: (rows) => rest.write({ table, rows, createIfMissing: true }),
        read: () => rest.read({ table, orderBy: 'id' }),
        count: async () => {
          const found = await api.sql<{ n: string }>(
            `SELECT count(*) AS n FROM pg_tables WHERE schemaname = $1 AND tablename = $2`,
            [api.schema, table],
          );
          if (Number(found.rows[0]?.n) === 0) return 0;
          const counted = await api.sql<{ n: string }>(
            `SELECT count(*) AS n FROM "${api.schema}"."${table}"`,
          );
          return Number(counted.rows[0]?.n);
        },
      };
    }
  }
}

const PAIRS = ENDPOINTS.flatMap((a) => ENDPOINTS.filter((b) => b !== a).map((b) => [a, b] as const));

/**
 * Columns a route refuses, by design and documented in connector-supabase's README: Postgres's `time` holds
 * 00:00–24:00, not MySQL's negative or 838-hour TIMEs; and Postgres re-spells some JSON text (escapes), which
 * would change the document's text.
 */
const REFUSED_BY: Partial<Record<Endpoint, readonly string[]>> = { supabase: ['js', 'tm', 'tm6'] };

/** Moves the zoo's `columns` along the route; the refusal that stopped it, if one did. */
async function travel(route: string, a: Endpoint, b: Endpoint, columns: readonly string[]) {
  const first = a === 'mysql' ? undefined : place(a, `zoo_a_${route}`);
  const second = b === 'mysql' ? undefined : place(b, `zoo_b_${route}`);
  const back = `back_${route}`;
  await db.admin.query(`CREATE TABLE \`${db.database}\`.\`${back}\` LIKE \`${db.database}\`.\`type_zoo\``);
  let from = (): RowBatchStream => my.read({ table: 'type_zoo', columns, orderBy: 'id' });
  for (const target of [first, second]) {
    if (target === undefined) continue;
    const refusal = await refused(() => target.write(from()), target);
    if (refusal !== undefined) return { back, refusal };
    from = () => target.read();
  }
  const refusal = await refused(() => my.write({ table: back, rows: from() }), place('mysql', back));
  return { back, refusal };
}

/** Runs a write; a refusal must be one of the contract's, name a column, and leave its target without a row. */
async function refused(write: () => Promise<unknown>, target: Place): Promise<ConnectorError | undefined> {
  try {
    await write();
    return undefined;
  } catch (error) {
    expect(error, String(error)).toBeInstanceOf(ConnectorError);
    const refusal = error as ConnectorError;
    expect(['TYPE_UNSUPPORTED', 'VALUE_OUT_OF_RANGE', 'VALUE_INVALID'], refusal.message).toContain(
      refusal.code,
    );
    expect(refusal.details?.column).toEqual(expect.any(String));
    expect(await target.count()).toBe(0);
    return refusal;
  }
}

const pick = (rows: ReadonlyArray<Record<string, string | null>>, columns: readonly string[]) =>
  rows.map((row) => Object.fromEntries(columns.map((name) => [name, row[name]])));

describe('the type zoo through every pair of connectors, back into MySQL', () => {
  test.each(PAIRS)(
    'mysql → %s → %s → mysql: every cell identical; what a hop cannot keep is refused before a row is written',
    async (a, b) => {
      let columns = TYPE_ZOO_COLUMNS.map((column) => column.name);
      const refusedColumns: string[] = [];
      for (let attempt = 0; ; attempt++) {
        const { back, refusal } = await travel(`${a}_${b}_${attempt}`, a, b, columns);
        if (refusal === undefined) {
          const expected = pick(await zooServerText(db.admin, db.database, 'type_zoo'), columns);
          expect(pick(await zooServerText(db.admin, db.database, back), columns)).toEqual(expected);
          break;
        }
        const column = String(refusal.details?.column);
        refusedColumns.push(column);
        columns = columns.filter((name) => name !== column);
      }
      const expectedRefusals = [...new Set([...(REFUSED_BY[a] ?? []), ...(REFUSED_BY[b] ?? [])])];
      expect(refusedColumns.sort()).toEqual(expectedRefusals.sort());
    },
    180_000,
  );
});
