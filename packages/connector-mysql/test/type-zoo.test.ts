import type { LogicalType } from '@osiris/core';
import { createTypeZoo, TYPE_ZOO_COLUMNS, zooCellText, zooServerText } from '@osiris/test-services';
import { beforeAll, describe, expect, test } from 'vitest';
import { collect, useDatabase } from './support.js';

/** The rows of a read, each cell in the spelling of the zoo's server text. */
function asCellText(rows: readonly Record<string, unknown>[]): Array<Record<string, string | null>> {
  return rows.map((row) =>
    Object.fromEntries(TYPE_ZOO_COLUMNS.map((column) => [column.name, zooCellText(row[column.name])])),
  );
}

async function checksum(admin: ReturnType<ReturnType<typeof useDatabase>['db']>['admin'], table: string) {
  const [rows] = await admin.query(`CHECKSUM TABLE \`${table}\``);
  return (rows as Array<{ Checksum: unknown }>)[0]?.Checksum;
}

describe('the type zoo through read() and write()', () => {
  const { db, open } = useDatabase();
  let expected: Array<Record<string, string | null>>;

  beforeAll(async () => {
    await createTypeZoo(db().admin, db().database);
    expected = await zooServerText(db().admin, db().database);
  });

  test('read() gives every cell exactly as the server holds it', async () => {
    const connection = await open();
    const rows = await collect(connection.read({ table: 'type_zoo', orderBy: 'id' }));
    const got = asCellText(rows);
    for (const [index, row] of expected.entries()) {
      for (const column of TYPE_ZOO_COLUMNS) {
        expect({ row: index + 1, column: column.name, text: got[index]?.[column.name] }).toEqual({
          row: index + 1,
          column: column.name,
          text: row[column.name],
        });
      }
    }
  });

  test('the same through a read-only connection in another zone: TIMESTAMP the same instant, DATETIME the same wall clock', async () => {
    // The statement a table read builds (FLOAT as DOUBLE) passes the read-only guard.
    const connection = await open({ timezone: '+05:30', read_only: true });
    const rows = await collect(connection.read({ table: 'type_zoo', orderBy: 'id' }));
    expect(asCellText(rows)).toEqual(expected);
  });

  test('columns() carry the logical types, ENUM/SET members and the JSON mark included', async () => {
    const connection = await open();
    const stream = connection.read({ table: 'type_zoo', limit: 1 });
    const columns = new Map((await stream.columns()).map((column) => [column.name, column]));
    await collect(stream);
    expect(columns.get('id')).toEqual({
      name: 'id',
      type: { kind: 'integer', bits: 32, unsigned: false },
      nativeType: 'int(11)',
      nullable: false,
      primaryKey: true,
    });
    expect(columns.get('u64')?.type).toEqual({ kind: 'integer', bits: 64, unsigned: true });
    expect(columns.get('flag')?.type).toEqual({ kind: 'integer', bits: 8, unsigned: false });
    expect(columns.get('b64')?.type).toEqual({ kind: 'integer', bits: 64, unsigned: true });
    expect(columns.get('yr')?.type).toEqual({ kind: 'integer', bits: 16, unsigned: true });
    expect(columns.get('d65')?.type).toEqual({ kind: 'decimal', precision: 65, scale: 30 });
    expect(columns.get('flt')?.type).toEqual({ kind: 'float', bits: 32 });
    expect(columns.get('tm6')?.type).toEqual({ kind: 'time', precision: 6 });
    expect(columns.get('dt3')?.type).toEqual({ kind: 'datetime', precision: 3 });
    expect(columns.get('ts6')?.type).toEqual({ kind: 'timestamp', precision: 6 });
    expect(columns.get('vc')?.type).toEqual({ kind: 'string', maxLength: 255 });
    expect(columns.get('bin')?.type).toEqual({ kind: 'bytes', maxLength: 16 });
    expect(columns.get('mblb')?.type).toEqual({ kind: 'bytes', maxLength: 16_777_215 });
    expect(columns.get('js')?.type).toEqual({ kind: 'json' });
    expect(columns.get('geo')?.type).toEqual({ kind: 'bytes' });
    expect(columns.get('en')?.type).toEqual({
      kind: 'enum',
      members: ['small', "it's", 'with space', 'd,comma', 'naïve'],
    });
    expect(columns.get('st')?.type).toEqual({ kind: 'set', members: ['x', 'y', 'z w', 'é'] });
  });

  describe.each(['insert', 'load-data'] as const)('via %s', (method) => {
    test('into a table createIfMissing derives: every cell arrives exactly', async () => {
      const connection = await open();
      const table = `zoo_created_${method.replace('-', '_')}`;
      const result = await connection.write({
        table,
        rows: connection.read({ table: 'type_zoo', orderBy: 'id', batchSize: 3 }),
        createIfMissing: true,
        method,
      });
      expect(result).toMatchObject({ rowsWritten: expected.length, method });
      expect(await zooServerText(db().admin, db().database, table)).toEqual(expected);
      // The source's key and NOT NULL columns are kept.
      const [keys] = await db().admin.query(`SHOW KEYS FROM \`${table}\` WHERE Key_name = 'PRIMARY'`);
      expect((keys as Array<{ Column_name: string }>).map((key) => key.Column_name)).toEqual(['id']);
      const [nn] = await db().admin.query(
        "SELECT COLUMN_NAME AS name FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND IS_NULLABLE = 'NO'",
        [table],
      );
      expect((nn as Array<{ name: string }>).map((column) => column.name)).toEqual(['id', 'nn']);
    });

    test('into a copy made with CREATE TABLE … LIKE: the same CHECKSUM TABLE', async () => {
      const connection = await open({ timezone: '-03:00' });
      const table = `zoo_like_${method.replace('-', '_')}`;
      await db().admin.query(`CREATE TABLE \`${table}\` LIKE type_zoo`);
      await connection.write({
        table,
        rows: connection.read({ table: 'type_zoo', orderBy: 'id', batchSize: 2 }),
        method,
      });
      expect(await zooServerText(db().admin, db().database, table)).toEqual(expected);
      expect(await checksum(db().admin, table)).toEqual(await checksum(db().admin, 'type_zoo'));
    });
  });
});

describe('createIfMissing: logical type → MySQL type', () => {
  const { open } = useDatabase();

  test('each logical type gets the MySQL column the README table names; keys and NOT NULL kept', async () => {
    const connection = await open();
    const cases: Array<[LogicalType, string, boolean?]> = [
      [{ kind: 'string', maxLength: 40 }, 'varchar(40)'],
      [{ kind: 'string', maxLength: 5_000 }, 'text'],
      [{ kind: 'string', maxLength: 100_000 }, 'mediumtext'],
      [{ kind: 'string' }, 'longtext'],
      [{ kind: 'integer', bits: 1, unsigned: true }, 'tinyint(3) unsigned'],
      [{ kind: 'integer', bits: 16, unsigned: false }, 'smallint(6)'],
      [{ kind: 'integer', bits: 24, unsigned: true }, 'mediumint(8) unsigned'],
      [{ kind: 'integer', bits: 32, unsigned: true }, 'int(10) unsigned'],
      [{ kind: 'integer', bits: 64, unsigned: true }, 'bigint(20) unsigned'],
      [{ kind: 'decimal', precision: 38, scale: 10 }, 'decimal(38,10)'],
      [{ kind: 'decimal' }, 'decimal(65,30)'],
      [{ kind: 'float', bits: 32 }, 'float'],
      [{ kind: 'float', bits: 64 }, 'double'],
      [{ kind: 'boolean' }, 'tinyint(1)'],
      [{ kind: 'date' }, 'date'],
      [{ kind: 'time', precision: 6 }, 'time(6)'],
      [{ kind: 'datetime', precision: 0 }, 'datetime'],
      [{ kind: 'datetime', precision: 3 }, 'datetime(3)'],
      [{ kind: 'timestamp', precision: 6 }, 'timestamp(6)'],
      [{ kind: 'bytes', maxLength: 16 }, 'varbinary(16)'],
      [{ kind: 'bytes', maxLength: 65_535 }, 'blob'],
      [{ kind: 'bytes', maxLength: 1_000_000 }, 'mediumblob'],
      [{ kind: 'bytes' }, 'longblob'],
      [{ kind: 'json' }, 'json'],
      [{ kind: 'enum', members: ['a', "it's", 'back\\slash'] }, "enum('a','it''s','back\\\\slash')"],
      [{ kind: 'set', members: ['x', 'y z'] }, "set('x','y z')"],
      [{ kind: 'string' }, 'varchar(255)', true],
    ];
    const columns = cases.map(([type], index) => ({
      name: `c${index}`,
      type,
      nullable: index % 2 === 0,
    }));
    const key = `c${cases.length - 1}`;
    await connection.write({
      table: 'every_logical_type',
      createIfMissing: true,
      primaryKey: key,
      columns,
      rows: [],
    });
    const { rows } = await connection.query(
      `SELECT COLUMN_NAME AS name, COLUMN_TYPE AS type, IS_NULLABLE AS nullable, COLUMN_KEY AS k
         FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'every_logical_type'
        ORDER BY ORDINAL_POSITION`,
    );
    expect(rows).toEqual(
      cases.map(([, type, isKey], index) => ({
        name: `c${index}`,
        // MariaDB spells JSON as a LONGTEXT (with a json_valid check, which reads back as json).
        type: type === 'json' ? 'longtext' : type,
        nullable: index % 2 === 0 && !isKey ? 'YES' : 'NO',
        k: isKey ? 'PRI' : '',
      })),
    );
    // Read back, the created table describes the same logical types (JSON included).
    const stream = connection.read({ table: 'every_logical_type' });
    const described = await stream.columns();
    await collect(stream);
    expect(
      described.find((column) => column.name === `c${cases.findIndex(([t]) => t.kind === 'json')}`)?.type,
    ).toEqual({
      kind: 'json',
    });
    expect(described.find((column) => column.name === 'c24')?.type).toEqual(cases[24]?.[0]);
  });
});
