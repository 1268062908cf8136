import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TEMP_SUFFIX } from '@osiris/connector-fs';
import type { ColumnInfo } from '@osiris/core';
import { describe, expect, test } from 'vitest';
import { collect, readingBench } from './helpers/temp-dir.js';

const { base, conn, readBack } = await readingBench();
const text = (path: string) => readFile(join(base, path), 'utf8');
const schemaOf = async (path: string) => JSON.parse(await text(`${path}.schema.json`));
const failure = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

const ORDERS: ColumnInfo[] = [
  { name: 'id', type: { kind: 'integer', bits: 32, unsigned: false }, nullable: false, primaryKey: true },
  { name: 'amount', type: { kind: 'decimal', precision: 12, scale: 2 } },
  { name: 'note', type: { kind: 'string', maxLength: 20 } },
];

describe('NULL and the empty string stay apart in CSV, both ways, by default', () => {
  test('written: null unquoted and empty, an empty string as ""; the text NULL and \\N stay text', async () => {
    await conn.write({ path: 'nulls.csv', rows: [[{ s: '' }, { s: null }, { s: 'NULL' }, { s: '\\N' }]] });
    expect(await text('nulls.csv')).toBe('s\n""\n\nNULL\n\\N\n');
    expect(await collect(conn.read({ path: 'nulls.csv' }))).toEqual([
      { s: '' },
      { s: null },
      { s: 'NULL' },
      { s: '\\N' },
    ]);
  });

  test('read from any CSV, without a descriptor: unquoted empty is null, "" is the empty string', async () => {
    expect(await readBack('any.csv', 'a,b,c\n"",,x\n,"",\n')).toEqual([
      { a: '', b: null, c: 'x' },
      { a: null, b: '', c: null },
    ]);
  });

  test('null_values match unquoted fields only: a quoted "NA" is text', async () => {
    expect(await readBack('na.csv', 'a,b,c\nNA,"NA",\n', { null_values: ['NA'] })).toEqual([
      { a: null, b: 'NA', c: '' },
    ]);
  });

  test('a null_value such as \\N is recorded as missingValues and read back as null; the quoted text "\\N" stays text', async () => {
    await conn.write({
      path: 'backslash.csv',
      rows: [[{ s: null }, { s: '\\N' }, { s: '' }]],
      null_value: '\\N',
    });
    expect(await text('backslash.csv')).toBe('s\n\\N\n"\\N"\n""\n');
    expect((await schemaOf('backslash.csv')).missingValues).toEqual(['\\N']);
    expect(await collect(conn.read({ path: 'backslash.csv' }))).toEqual([
      { s: null },
      { s: '\\N' },
      { s: '' },
    ]);
  });
});

describe('the descriptor: written beside the file, used by read()', () => {
  test('a Table Schema with the standard type, constraints, primary key and the exact logical type', async () => {
    await conn.write({
      path: 'orders.csv',
      rows: [[{ id: 1, amount: '9.50', note: 'x' }]],
      columns: ORDERS,
      sort_columns: false,
    });
    const schema = await schemaOf('orders.csv');
    expect(schema).toEqual({
      $schema: 'https://datapackage.org/profiles/2.0/tableschema.json',
      fields: [
        {
          name: 'id',
          type: 'integer',
          constraints: { required: true, minimum: -2147483648, maximum: 2147483647 },
          osirisType: { kind: 'integer', bits: 32, unsigned: false },
        },
        { name: 'amount', type: 'number', osirisType: { kind: 'decimal', precision: 12, scale: 2 } },
        {
          name: 'note',
          type: 'string',
          constraints: { maxLength: 20 },
          osirisType: { kind: 'string', maxLength: 20 },
        },
      ],
      missingValues: [''],
      primaryKey: ['id'],
      osirisDialect: { delimiter: ',', header: true, encoding: 'utf-8' },
      osirisData: {
        bytes: 'id,amount,note\n1,9.50,x\n'.length,
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
    const stream = conn.read({ path: 'orders.csv' });
    expect(await collect(stream)).toEqual([{ id: 1, amount: '9.50', note: 'x' }]);
    expect(
      (await stream.columns()).map(({ name, type, nullable, primaryKey }) => ({
        name,
        type,
        nullable,
        primaryKey,
      })),
    ).toEqual(
      ORDERS.map((column) => ({
        ...column,
        nullable: column.nullable ?? true,
        primaryKey: column.primaryKey ?? false,
      })),
    );
  });

  test('without descriptor or declared columns values stay strings; declared types on read make them typed', async () => {
    await writeFile(join(base, 'plain.csv'), 'id,amount,note\n7,1.5,\n');
    expect(await collect(conn.read({ path: 'plain.csv' }))).toEqual([{ id: '7', amount: '1.5', note: null }]);
    const typed = conn.read({ path: 'plain.csv', columns: [ORDERS[0]!, ORDERS[1]!, 'note'] });
    expect(await collect(typed)).toEqual([{ id: 7, amount: '1.50', note: null }]);
    expect((await typed.columns()).map((column) => column.type?.kind)).toEqual([
      'integer',
      'decimal',
      'string',
    ]);
  });

  test('a read follows the delimiter, header and encoding the file was written with; a request still overrides them', async () => {
    const rows = [[{ id: 1, amount: '2.50', note: 'crème | brûlée' }]];
    const settings = { delimiter: '|', header: false, encoding: 'utf-16le' } as const;
    await conn.write({ path: 'dialect.csv', rows, columns: ORDERS, sort_columns: false, ...settings });
    expect((await schemaOf('dialect.csv')).osirisDialect).toEqual(settings);
    expect(await readFile(join(base, 'dialect.csv'), 'utf16le')).toBe('1|2.50|"crème | brûlée"\n');
    expect(await collect(conn.read({ path: 'dialect.csv' }))).toEqual(rows[0]);
    // Told utf-8, the reader reads the UTF-16 bytes as such, and they do not parse.
    await expect(collect(conn.read({ path: 'dialect.csv', encoding: 'utf-8' }))).rejects.toMatchObject({
      code: 'BAD_LINE',
    });
  });

  test('table_schema: false writes none (and removes the one an earlier write left); on read it ignores one', async () => {
    await conn.write({ path: 'bare.csv', rows: [[{ n: 1 }]] });
    expect(await readdir(base)).toContain('bare.csv.schema.json');
    await conn.write({ path: 'bare.csv', rows: [[{ n: 2 }]], table_schema: false });
    expect(await readdir(base)).not.toContain('bare.csv.schema.json');
    await conn.write({ path: 'bare.csv', rows: [[{ n: 3 }]] });
    expect(await collect(conn.read({ path: 'bare.csv', table_schema: false }))).toEqual([{ n: '3' }]);
    expect(await collect(conn.read({ path: 'bare.csv' }))).toEqual([{ n: 3n }]);
  });

  test('a descriptor written by another tool (no osirisType) maps by its standard types', async () => {
    await writeFile(
      join(base, 'foreign.csv'),
      'n,x,b,d,k,j\n1234567890123456789,0.1000000000000000000001,AP8=,2024-02-29,b,"{""a"":1}"\n',
    );
    const fields = [
      { name: 'n', type: 'integer' },
      { name: 'x', type: 'number' },
      { name: 'b', type: 'string', format: 'binary' },
      { name: 'd', type: 'date' },
      { name: 'k', type: 'string', constraints: { enum: ['a', 'b'], required: true } },
      { name: 'j', type: 'object' },
    ];
    await writeFile(join(base, 'foreign.csv.schema.json'), JSON.stringify({ fields }));
    const stream = conn.read({ path: 'foreign.csv' });
    const rows = await collect(stream);
    expect(rows).toEqual([
      {
        n: 1234567890123456789n,
        x: '0.1000000000000000000001',
        b: Buffer.from([0, 255]),
        d: '2024-02-29',
        k: 'b',
        j: '{"a":1}',
      },
    ]);
    expect(rows[0]?.n).toBe(1234567890123456789n);
    expect((await stream.columns()).map((column) => [column.type?.kind, column.nullable])).toEqual([
      ['integer', true],
      ['decimal', true],
      ['bytes', true],
      ['date', true],
      ['enum', false],
      ['json', true],
    ]);
  });
});

describe('a descriptor that disagrees with its file is a clear error with file and line', () => {
  test('CSV: a header with a column missing or extra is SCHEMA_MISMATCH at line 1, naming both', async () => {
    await conn.write({ path: 'drift.csv', rows: [[{ a: 1, b: 2 }]] });
    const descriptor = await text('drift.csv.schema.json');
    await writeFile(join(base, 'drift2.csv'), 'a,c\n1,2\n');
    await writeFile(join(base, 'drift2.csv.schema.json'), descriptor.replace(/"osirisData"[^}]*}/, '"x": 1'));
    const error = await failure(collect(conn.read({ path: 'drift2.csv' })));
    expect(error).toMatchObject({
      code: 'SCHEMA_MISMATCH',
      category: 'config',
      file: 'drift2.csv',
      line: 1,
      details: { missing: ['b'], extra: ['c'] },
    });
    expect((error as Error).message).toMatch(
      /drift2\.csv:1: .*drift2\.csv\.schema\.json.*lacks "b".*has "c"/,
    );
  });

  test('CSV: a field its type refuses is BAD_LINE at its line naming the column; skip goes on without it', async () => {
    await writeFile(join(base, 'bad.csv'), 'id,amount,note\n1,2.00,\n2,abc,\n3,3.00,x\n');
    const columns = [ORDERS[0]!, ORDERS[1]!, 'note'];
    const error = await failure(collect(conn.read({ path: 'bad.csv', columns })));
    expect(error).toMatchObject({ code: 'BAD_LINE', file: 'bad.csv', line: 3 });
    expect((error as Error).message).toMatch(/column "amount": the value is not a decimal.*decimal\(12,2\)/);
    expect((error as Error).message).not.toContain('abc');
    const rows = await collect(conn.read({ path: 'bad.csv', columns, on_bad_lines: 'skip' }));
    expect(rows.map((row) => row.id)).toEqual([1, 3]);
  });

  test('JSON Lines: a line with a key the descriptor lacks, or without one it names, is BAD_LINE at that line', async () => {
    await conn.write({ path: 'keys.jsonl', rows: [[{ a: 1, b: 'x' }]] });
    const descriptor = (await text('keys.jsonl.schema.json')).replace(/,\s*"osirisData"[^}]*}/, '');
    await writeFile(join(base, 'keys2.jsonl'), '{"a":1,"b":"x"}\n{"a":2,"b":"y","c":3}\n{"a":3}\n');
    await writeFile(join(base, 'keys2.jsonl.schema.json'), descriptor);
    await expect(collect(conn.read({ path: 'keys2.jsonl' }))).rejects.toMatchObject({
      code: 'BAD_LINE',
      line: 2,
      file: 'keys2.jsonl',
    });
    const warnings: number[] = [];
    const rows = await collect(
      conn.read({ path: 'keys2.jsonl', on_bad_lines: 'warn', onWarning: (w) => warnings.push(w.line) }),
    );
    expect(rows).toEqual([{ a: 1n, b: 'x' }]);
    expect(warnings).toEqual([2, 3]);
  });

  test('the state a write killed between its two renames leaves (new data, old descriptor) is refused, never typed wrongly', async () => {
    await conn.write({
      path: 'torn.csv',
      rows: [[{ v: Buffer.from([0, 255]) }]],
      columns: [{ name: 'v', type: { kind: 'bytes' } }],
    });
    // The next write's data landed, its descriptor did not: a text column whose values look like base64.
    await writeFile(join(base, 'torn.csv'), 'v\nAP8=\nAAAA\n');
    await expect(collect(conn.read({ path: 'torn.csv' }))).rejects.toMatchObject({
      code: 'SCHEMA_MISMATCH',
      file: 'torn.csv.schema.json',
    });
    // Same size, other bytes: found by the SHA-256 once the file is read through.
    await writeFile(join(base, 'torn.csv'), 'v\nAAA=\n');
    await expect(collect(conn.read({ path: 'torn.csv' }))).rejects.toThrow(
      /does not describe torn\.csv: the content differs/,
    );
  });

  test('a descriptor that is not JSON, or has no fields, is DESCRIPTOR_INVALID naming it', async () => {
    await writeFile(join(base, 'broken.csv'), 'a\n1\n');
    await writeFile(join(base, 'broken.csv.schema.json'), '{"fields": [');
    await expect(collect(conn.read({ path: 'broken.csv' }))).rejects.toMatchObject({
      code: 'DESCRIPTOR_INVALID',
      file: 'broken.csv.schema.json',
    });
    await writeFile(
      join(base, 'broken.csv.schema.json'),
      '{"fields": [{"name": "a", "osirisType": {"kind": "integer"}}]}',
    );
    await expect(collect(conn.read({ path: 'broken.csv' }))).rejects.toThrow(/osirisType that needs bits/);
  });
});

describe('the sink refuses before writing: the old file and its descriptor stay as they were', () => {
  test('a value out of range in a later batch: VALUE_OUT_OF_RANGE naming row and column, nothing replaced', async () => {
    await conn.write({ path: 'keep.csv', rows: [[{ id: 1, amount: '1.00', note: 'old' }]], columns: ORDERS });
    const before = [await text('keep.csv'), await text('keep.csv.schema.json')];
    const error = await failure(
      conn.write({
        path: 'keep.csv',
        rows: [
          [{ id: 2, amount: '2.00', note: 'new' }],
          [{ id: 3, amount: '12345678901.00', note: 'too big' }],
        ],
        columns: ORDERS,
      }),
    );
    expect(error).toMatchObject({
      code: 'VALUE_OUT_OF_RANGE',
      category: 'config',
      details: { column: 'amount', row: 2, type: 'decimal(12,2)' },
    });
    expect([await text('keep.csv'), await text('keep.csv.schema.json')]).toEqual(before);
    expect((await readdir(base)).filter((name) => name.endsWith(TEMP_SUFFIX))).toEqual([]);
  });

  test('null in a NOT NULL column, text too long, a string for an integer: each refused naming row and column', async () => {
    const attempts: Array<[Record<string, unknown>, string, string]> = [
      [{ id: null, amount: '1', note: 'x' }, 'id', 'VALUE_INVALID'],
      [{ id: 1, amount: '1', note: 'x'.repeat(21) }, 'note', 'VALUE_OUT_OF_RANGE'],
      [{ id: 'one', amount: '1', note: 'x' }, 'id', 'VALUE_INVALID'],
    ];
    for (const [row, column, code] of attempts) {
      await expect(conn.write({ path: 'keep.csv', rows: [[row]], columns: ORDERS })).rejects.toMatchObject({
        code,
        details: { column, row: 1 },
      });
    }
    expect(await collect(conn.read({ path: 'keep.csv' }))).toEqual([{ id: 1, amount: '1.00', note: 'old' }]);
  });
});

describe('date_format never drops digits', () => {
  const at = new Date('2024-03-31T01:30:00.250Z');

  test('by default a Date is written with its milliseconds, a datetime(6) with its microseconds', async () => {
    await conn.write({
      path: 'when.csv',
      rows: [[{ at, wall: '2006-02-15T05:03:42.123456' }]],
      columns: [{ name: 'at' }, { name: 'wall', type: { kind: 'datetime', precision: 6 } }],
    });
    expect(await text('when.csv')).toBe('at,wall\n2024-03-31T01:30:00.250Z,2006-02-15T05:03:42.123456\n');
    expect(await collect(conn.read({ path: 'when.csv' }))).toEqual([
      { at: '2024-03-31T01:30:00.250Z', wall: '2006-02-15T05:03:42.123456' },
    ]);
  });

  test('a pattern without %f refuses a value with a fraction (naming row and column) and takes whole seconds', async () => {
    const date_format = '%Y-%m-%d %H:%M:%S';
    await expect(
      conn.write({
        path: 'fmt.csv',
        rows: [[{ at: new Date('2024-01-01T00:00:00Z') }, { at }]],
        date_format,
      }),
    ).rejects.toMatchObject({
      code: 'VALUE_OUT_OF_RANGE',
      details: { column: 'at', row: 2 },
    });
    await conn.write({ path: 'fmt.csv', rows: [[{ at: new Date('2024-01-01T00:00:00Z') }]], date_format });
    expect(await text('fmt.csv')).toBe('at\n2024-01-01 00:00:00\n');
    expect((await schemaOf('fmt.csv')).fields[0]).toMatchObject({ type: 'datetime', format: date_format });
    // Read back by the same pattern: the canonical instant again.
    expect(await collect(conn.read({ path: 'fmt.csv' }))).toEqual([{ at: '2024-01-01T00:00:00.000Z' }]);
  });

  test('%f shows six digits: a datetime(6) keeps them, a seventh non-zero digit is refused', async () => {
    const columns = [{ name: 'wall', type: { kind: 'datetime', precision: 7 } as const }];
    const date_format = '%d.%m.%Y %H:%M:%S.%f';
    await conn.write({
      path: 'micro.csv',
      rows: [[{ wall: '2006-02-15T05:03:42.1234560' }]],
      columns,
      date_format,
    });
    expect(await text('micro.csv')).toBe('wall\n15.02.2006 05:03:42.123456\n');
    expect(await collect(conn.read({ path: 'micro.csv' }))).toEqual([
      { wall: '2006-02-15T05:03:42.1234560' },
    ]);
    await expect(
      conn.write({
        path: 'micro.csv',
        rows: [[{ wall: '2006-02-15T05:03:42.1234567' }]],
        columns,
        date_format,
      }),
    ).rejects.toMatchObject({ code: 'VALUE_OUT_OF_RANGE' });
  });

  test('a pattern that cannot show the date, or an instant on a zone without %z, is TYPE_UNSUPPORTED before any row', async () => {
    const rows = [[{ at }]];
    await expect(conn.write({ path: 'nodate.csv', rows, date_format: '%H:%M:%S.%f' })).rejects.toMatchObject({
      code: 'TYPE_UNSUPPORTED',
      details: { column: 'at' },
    });
    await expect(
      conn.write({
        path: 'nodate.csv',
        rows,
        date_format: '%Y-%m-%d %H:%M:%S.%f',
        timezone: 'Europe/Prague',
      }),
    ).rejects.toMatchObject({
      code: 'TYPE_UNSUPPORTED',
      hint: expect.stringMatching(/has no %z.*ambiguous/),
    });
    expect(await readdir(base)).not.toContain('nodate.csv');
  });
});
