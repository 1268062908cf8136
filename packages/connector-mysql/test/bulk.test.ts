import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CsvEncoder, type FsConnection, fsConnector } from '@osiris/connector-fs';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { collect, useDatabase } from './support.js';

/** The export and import fast paths, end to end with connector-fs. */
describe('bulk paths with connector-fs', () => {
  const { open } = useDatabase();
  let dir: string;
  let files: FsConnection;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'osiris-mysql-bulk-'));
    files = (await fsConnector.connect(fsConnector.configSchema.parse({ base_dir: dir }), {
      reference: '@filesystem.t',
      alias: 't',
    })) as FsConnection;
  });
  afterAll(async () => {
    await files.close();
    await rm(dir, { recursive: true, force: true });
  });

  const rows = [
    {
      id: 1,
      name: 'plain',
      note: 'comma, "quoted"\nand a second line',
      amount: '12.50',
      at: '2024-01-02 03:04:05.678',
    },
    { id: 2, name: ' padded ', note: null, amount: '-0.01', at: '1999-12-31 23:59:59.000' },
    { id: 3, name: 'ünïcode ✓ 😀', note: 'NULL', amount: '0.00', at: '2000-02-29 00:00:00.000' },
  ];
  const createTable = (connection: Awaited<ReturnType<typeof open>>, table: string) =>
    connection.query(
      `CREATE TABLE ${table} (id INT PRIMARY KEY, name VARCHAR(40), note TEXT, amount DECIMAL(8,2), at DATETIME(3))`,
    );

  test('readRecords gives rows as arrays of the server text, in column order, for the CSV encoder', async () => {
    const connection = await open();
    await createTable(connection, 'exported');
    await connection.write({ table: 'exported', rows: [rows] });
    const stream = connection.readRecords({ table: 'exported', orderBy: 'id', values: 'text' });
    const records = await collect(stream);
    expect(records).toEqual(
      rows.map((row) => Object.values(row).map((value) => (value === null ? null : String(value)))),
    );
    const encoder = new CsvEncoder();
    const names = (await stream.columns()).map((column) => column.name);
    await files.atomicWrite('exported.csv', [encoder.header(names), encoder.records(records)]);
    // connector-fs reads the file back as the same rows (every field as text).
    const back = await collect(files.read({ path: 'exported.csv' }));
    expect(back).toEqual(rows.map((row) => ({ ...row, id: String(row.id) })));
  });

  test('loadCsv streams a CSV file from connector-fs into a table; NULL spelled NULL round-trips exactly', async () => {
    const connection = await open();
    await createTable(connection, 'imported_exact');
    // null_value NULL: the server reads an unquoted NULL as NULL and the quoted "NULL" as text.
    await files.write({ path: 'exact.csv', rows: [rows], null_value: 'NULL', sort_columns: false });
    const result = await connection.loadCsv({
      table: 'imported_exact',
      data: files.readBytes('exact.csv'),
      null_value: 'NULL',
    });
    expect(result).toMatchObject({ rowsWritten: 3, batches: 1, method: 'load-data' });
    const back = await connection.query('SELECT * FROM imported_exact ORDER BY id', [], { values: 'text' });
    expect(back.rows).toEqual(rows.map((row) => ({ ...row, id: String(row.id) })));
  });

  test("loadCsv with connector-fs's default null_value '': empty fields are NULL; other dialects too", async () => {
    const connection = await open();
    await createTable(connection, 'imported_default');
    await files.write({ path: 'default.csv', rows: [rows], sort_columns: false });
    await connection.loadCsv({ table: 'imported_default', data: files.readBytes('default.csv') });
    const { rows: notes } = await connection.query('SELECT id, note FROM imported_default ORDER BY id');
    expect(notes).toEqual([
      { id: 1, note: rows[0]?.note },
      { id: 2, note: null },
      // LOAD DATA reads an unquoted NULL as NULL, and this dialect does not quote the text NULL.
      { id: 3, note: null },
    ]);
    await createTable(connection, 'imported_dialect');
    const text = 'id;name;note;amount;at\r\n7;"semi;colon";x;1.00;2024-01-01 00:00:00\r\n';
    await connection.loadCsv({ table: 'imported_dialect', data: [text], delimiter: ';', newline: 'crlf' });
    expect((await connection.query('SELECT id, name FROM imported_dialect')).rows).toEqual([
      { id: 7, name: 'semi;colon' },
    ]);
  });

  test("loadCsv: an empty field is NULL in a nullable column and '' in a NOT NULL one, whatever the header's case", async () => {
    const connection = await open();
    await connection.query(
      'CREATE TABLE strict_names (id INT PRIMARY KEY, label VARCHAR(20) NOT NULL, note TEXT)',
    );
    const text = 'ID,Label,NOTE\n1,,\n2,x,y\n';
    await connection.loadCsv({ table: 'strict_names', data: [text] });
    const { rows: back } = await connection.query('SELECT id, label, note FROM strict_names ORDER BY id');
    expect(back).toEqual([
      { id: 1, label: '', note: null },
      { id: 2, label: 'x', note: 'y' },
    ]);
  });

  test('readBytes stays in the sandbox: a path outside base_dir loads nothing', async () => {
    const connection = await open();
    await createTable(connection, 'imported_escape');
    await expect(
      connection.loadCsv({ table: 'imported_escape', data: files.readBytes('../../etc/passwd') }),
    ).rejects.toMatchObject({ code: 'PATH_OUTSIDE_BASE', category: 'permission' });
    expect((await connection.query('SELECT COUNT(*) AS n FROM imported_escape')).rows).toEqual([{ n: 0n }]);
  });

  test('a rejected value rolls the whole load back', async () => {
    const connection = await open();
    await createTable(connection, 'imported_strict');
    const text =
      'id,name,note,amount,at\n1,a,,1.00,2024-01-01 00:00:00\n2,b,,not-a-number,2024-01-01 00:00:00\n';
    await expect(connection.loadCsv({ table: 'imported_strict', data: [text] })).rejects.toMatchObject({
      category: 'config',
    });
    expect((await connection.query('SELECT COUNT(*) AS n FROM imported_strict')).rows).toEqual([{ n: 0n }]);
    await expect(connection.loadCsv({ table: 'no_such_table', data: [text] })).rejects.toMatchObject({
      code: 'TABLE_NOT_FOUND',
    });
  });
});
