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
