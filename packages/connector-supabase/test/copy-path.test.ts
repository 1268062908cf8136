/**
 * The direct path on the real stack: with db_url, writes of at least copy_threshold rows go through
 * connector-postgres's COPY; the same writes through the API (threshold out of reach) leave identical tables —
 * the type zoo cell for cell in Postgres's own text, every mode — and equal results but for `method` and
 * `batches`. Without db_url nothing changes. The password in db_url shows nowhere.
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { errorOutputs } from '@osiris/connector-testkit';
import {
  type CanonicalValue,
  type ColumnInfo,
  createRegistry,
  createResolver,
  doctor,
  parseConnections,
  positionalStream,
  type Row,
  type WriteResult,
} from '@osiris/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { supabaseConnector } from '../src/index.js';
import { canary, failure, readAll, useSupabase } from './support.js';
import { describedSource, nativeTypes, widened, ZOO, ZOO_ROWS } from './zoo.js';

const { service, connect, tables } = useSupabase();
const T = tables(
  'api_zoo',
  'copy_zoo',
  'api_lane',
  'copy_lane',
  'api_big',
  'copy_big',
  'plain',
  'shapes',
  'failing_api',
  'failing_copy',
  'parents',
  'secret_t',
  'extra_api',
  'extra_copy',
  'year_api',
  'year_copy',
  'plain_view',
  'no_peer',
  'big_again',
);

const run = promisify(execFile);

/** Through the API: the threshold out of reach. */
const viaApi = () => connect({ db_url: service().dbUrl, copy_threshold: 1_000_000_000 });
/** Through COPY: every write is large enough. */
const viaCopy = () => connect({ db_url: service().dbUrl, copy_threshold: 1 });

/** Every row of `table` as Postgres's own JSON text of it, by id. */
const tableText = async (table: string) =>
  (
    await service().sql<{ r: string }>(
      `SELECT row_to_json(whole_row)::text AS r FROM ${table} whole_row ORDER BY id`,
    )
  ).rows.map((row) => row.r);

/** A result with what differs by construction left out: the path, its unit of batches, the time taken. */
const comparable = ({ method: _m, batches: _b, durationMs: _d, ...rest }: WriteResult) => rest;

/** Object rows as positional batches in the order of `columns`. */
const laneSource = (columns: readonly ColumnInfo[], batches: readonly Row[][]) =>
  positionalStream(
    async () => columns,
    async function* () {
      for (const batch of batches)
        yield batch.map((row) => columns.map((column) => (row[column.name] ?? null) as CanonicalValue));
    },
  );

const count = async (table: string) =>
  Number((await service().sql<{ n: string }>(`SELECT count(*) AS n FROM ${table}`)).rows[0]!.n);

/** Zoo rows changed in every column but the key, for upserts. */
const changed = (row: Row): Row => ({
  ...row,
  i32: row.i32 === null ? 7 : null,
  txt: `changed ${String(row.txt)}`,
  amount: '99.99',
  flag: row.flag === null ? true : !row.flag,
});

beforeAll(async () => {
  await service().sql(`CREATE TABLE ${T.parents} (id int PRIMARY KEY)`);
  await service().sql(`INSERT INTO ${T.parents} VALUES (1)`);
});

describe('both paths leave identical tables and equal results', () => {
  for (const [source, api, copy] of [
    ['row objects of a described source', T.api_zoo, T.copy_zoo],
    ['positional batches (fast lane)', T.api_lane, T.copy_lane],
  ] as const) {
    test(`the type zoo from ${source}: created, appended, upserted, replaced`, async () => {
      const rows = (batches: Row[][]) =>
        source.startsWith('row') ? describedSource(ZOO, batches) : laneSource(ZOO, batches);
      const paths = [
        { table: api, connection: await viaApi() },
        { table: copy, connection: await viaCopy() },
      ];
      const run = async (
        request: (table: string) => Parameters<(typeof paths)[0]['connection']['write']>[0],
      ) => {
        const results = [];
        for (const { table, connection } of paths) results.push(await connection.write(request(table)));
        expect(results.map((result) => result.method)).toEqual([
          results[0]!.method === 'insert' ? 'insert' : 'upsert',
          'copy',
        ]);
        expect(comparable(results[1]!)).toEqual(comparable(results[0]!));
        expect(await nativeTypes(service(), copy)).toEqual(await nativeTypes(service(), api));
        const text = await tableText(copy);
        expect(text).toEqual(await tableText(api));
        return { results, text };
      };

      const created = await run((table) => ({
        table,
        rows: rows([ZOO_ROWS.slice(0, 1), ZOO_ROWS.slice(1, 2)]),
        createIfMissing: true,
      }));
      expect(created.results[1]).toMatchObject({ rowsWritten: 2, batches: 2, retries: 0 });
      // The API's schema cache knows the table COPY's write created: it reads back through REST.
      expect(await readAll(paths[1]!.connection.read({ table: copy, orderBy: 'id' }))).toEqual(
        ZOO_ROWS.slice(0, 2).map(widened),
      );

      await run((table) => ({ table, rows: rows([ZOO_ROWS.slice(2)]) }));
      const upserted = await run((table) => ({
        table,
        mode: 'upsert',
        rows: rows([ZOO_ROWS.slice(1).map(changed), [{ ...ZOO_ROWS[0]!, id: 4 }]]),
      }));
      expect(upserted.text).toHaveLength(4);
      expect(upserted.text[1]).toContain('"txt":"changed');

      const replaced = await run((table) => ({
        table,
        mode: 'replace',
        rows: rows([[ZOO_ROWS[0]!, { ...ZOO_ROWS[1]!, id: 5 }]]),
      }));
      expect(replaced.results[1]).toMatchObject({ rowsWritten: 2, rowsDeleted: 3 });
      expect(replaced.text).toHaveLength(2);
      expect(await readAll(paths[1]!.connection.read({ table: copy, orderBy: 'id' }))).toEqual(
        [ZOO_ROWS[0]!, { ...ZOO_ROWS[1]!, id: 5 }].map(widened),
      );
    });
  }

  test('20,000 row objects with the default threshold: COPY, the same table and progress as the API', async () => {
    const make = (table: string) =>
      service().sql(
        `CREATE TABLE ${table} (id bigint PRIMARY KEY, name text, score numeric(10,2), at timestamptz)`,
      );
    await make(T.api_big);
    await make(T.copy_big);
    await service().reloadSchema();
    const batches = Array.from({ length: 8 }, (_, b) =>
      Array.from({ length: 2500 }, (_, i) => {
        const id = b * 2500 + i + 1;
        return { id, name: `row ${id} "quoted", tab\t`, score: `${id % 1000}.25`, at: new Date(id * 1000) };
      }),
    );
    const progress: number[] = [];
    const direct = await connect({ db_url: service().dbUrl });
    const copied = await direct.write({
      table: T.copy_big,
      rows: batches,
      onProgress: (p) => progress.push(p.rows),
    });
    const api = await (await connect()).write({ table: T.api_big, rows: batches });
    expect(copied).toMatchObject({ method: 'copy', rowsWritten: 20_000, batches: 8, fastLane: false });
    expect(api).toMatchObject({ method: 'insert', rowsWritten: 20_000, batches: 40 });
    expect(comparable(copied)).toEqual(comparable(api));
    expect(progress).toEqual(batches.map((_, b) => (b + 1) * 2500));
    const digest = (table: string) =>
      service().sql(`SELECT md5(string_agg(t::text, ',' ORDER BY id)) AS d FROM ${table} t`);
    expect((await digest(T.copy_big)).rows).toEqual((await digest(T.api_big)).rows);
    // A Supabase read (row objects; its columns known once it is read) as the source of a created table.
    const read = direct.read({ table: T.copy_big, orderBy: 'id' });
    const copiedAgain = await direct.write({ table: T.big_again, rows: read, createIfMissing: true });
    expect(copiedAgain).toMatchObject({ method: 'copy', rowsWritten: 20_000 });
    // The read describes timestamptz as timestamp(6): createIfMissing spells out the precision.
    expect(await nativeTypes(service(), T.big_again)).toEqual({
      ...(await nativeTypes(service(), T.copy_big)),
      at: 'timestamp(6) with time zone',
    });
    expect((await digest(T.big_again)).rows).toEqual((await digest(T.api_big)).rows);
  });

  // `everyRow`: the fault is in every row (a column is the write's for all rows), else only in the last batch.
  test.each([
    ['a duplicate key', { id: 3 }, false, 'DUPLICATE_KEY'],
    ['a row whose parent is missing', { parent: 99 }, false, 'VALUE_REJECTED'],
    ['null for a NOT NULL column', { n: null }, false, 'VALUE_INVALID'],
    ['a value past the column range', { n: 40_000 }, false, 'VALUE_OUT_OF_RANGE'],
    ['a string longer than varchar(3)', { s: 'abcd' }, false, 'VALUE_OUT_OF_RANGE'],
    ['a key the table has no column for', { nope: 1 }, true, 'COLUMN_NOT_FOUND'],
  ])(
    '%s: the same code on both paths; through COPY no row of the write stays',
    async (_, bad, everyRow, code) => {
      const [api, copy] = [T.failing_api, T.failing_copy];
      for (const table of [api, copy]) {
        await service().sql(`DROP TABLE IF EXISTS ${table}`);
        await service().sql(
          `CREATE TABLE ${table} (id int PRIMARY KEY, n smallint NOT NULL, s varchar(3), parent int REFERENCES ${T.parents} (id))`,
        );
        await service().sql(`INSERT INTO ${table} (id, n) VALUES (3, 0)`);
      }
      await service().reloadSchema();
      const good = (id: number) => ({ id, n: 1, s: 'ok', parent: 1, ...(everyRow ? bad : {}) });
      const rows = () => [Array.from({ length: 10 }, (_, i) => good(10 + i)), [{ ...good(1), ...bad }]];
      const apiFailure = await failure((await viaApi()).write({ table: api, rows: rows() }));
      const copyFailure = await failure((await viaCopy()).write({ table: copy, rows: rows() }));
      expect(apiFailure.code).toBe(code);
      expect(copyFailure).toMatchObject({ code, category: apiFailure.category });
      expect(copyFailure.message).toContain('through db_url');
      expect(copyFailure.message).toContain('no row was written');
      expect(copyFailure.details).toMatchObject({ written: [], fateUnknown: [], execution: 'no' });
      expect(await count(copy)).toBe(1);
      // The API path committed the batch before the failing one.
      expect(await count(api)).toBe(everyRow ? 1 : 11);
    },
  );

  test("a date in year 0000 (ISO 8601's 1 BC): both paths store the server's 0001 BC", async () => {
    const rows = () =>
      describedSource(ZOO, [ZOO_ROWS.slice(0, 1).map((row) => ({ ...row, d: '0000-02-29' }))]);
    for (const [path, table] of [
      [viaApi, T.year_api],
      [viaCopy, T.year_copy],
    ] as const) {
      const result = await (await path()).write({ table, rows: rows(), createIfMissing: true });
      expect(result.rowsWritten).toBe(1);
      expect((await service().sql(`SELECT d::text FROM ${table}`)).rows).toEqual([{ d: '0001-02-29 BC' }]);
    }
  });
});

describe('when each path runs', () => {
  test('without db_url a write of any size goes through the API, as before', async () => {
    await service().sql(`CREATE TABLE ${T.plain} (id int PRIMARY KEY, name text)`);
    await service().reloadSchema();
    const rows = [Array.from({ length: 6000 }, (_, i) => ({ id: i, name: `n${i}` }))];
    const result = await (await connect()).write({ table: T.plain, rows });
    expect(result).toMatchObject({ method: 'insert', rowsWritten: 6000, batches: 12 });
  });

  test('with db_url, below copy_threshold (default 5,000 rows) the API runs; at it, COPY', async () => {
    await service().sql(`TRUNCATE ${T.plain}`);
    const connection = await connect({ db_url: service().dbUrl });
    const small = [Array.from({ length: 4999 }, (_, i) => ({ id: i, name: `n${i}` }))];
    expect(await connection.write({ table: T.plain, rows: small })).toMatchObject({ method: 'insert' });
    const large = [Array.from({ length: 5000 }, (_, i) => ({ id: 10_000 + i, name: `n${i}` }))];
    expect(await connection.write({ table: T.plain, rows: large })).toMatchObject({ method: 'copy' });
    // ignoreDuplicates has no COPY form: the API runs whatever the size.
    const again = await connection.write({
      table: T.plain,
      rows: large,
      mode: 'upsert',
      ignoreDuplicates: true,
    });
    expect(again).toMatchObject({ method: 'upsert' });
    expect(await count(T.plain)).toBe(9999);
  });

  test('db_url as libpq key=value words reaches the same database: introspection and COPY', async () => {
    const url = new URL(service().dbUrl);
    const words = `host=${url.hostname} port=${url.port || 5432} dbname=${url.pathname.slice(1)} user='${decodeURIComponent(url.username)}'`;
    const connection = await connect({ db_url: words, copy_threshold: 1 });
    expect((await connection.describeTable(T.plain)).columns.map((c) => c.type)).toEqual(['integer', 'text']);
    const result = await connection.write({ table: T.plain, rows: [[{ id: 60_000, name: 'words' }]] });
    expect(result).toMatchObject({ method: 'copy', rowsWritten: 1 });
    expect((await service().sql(`SELECT name FROM ${T.plain} WHERE id = 60000`)).rows).toEqual([
      { name: 'words' },
    ]);
  });

  test('without @osiris/connector-postgres installed (an optional peer), db_url changes nothing: the API writes, check() says why', async () => {
    await service().sql(`CREATE TABLE ${T.no_peer} (id int PRIMARY KEY)`);
    await service().reloadSchema();
    // A child process whose module resolution cannot find the package, as in a project that did not install it.
    const script = `
      import { register } from 'node:module';
      register('data:text/javascript,' + encodeURIComponent(\`
        export async function resolve(specifier, context, next) {
          if (specifier !== '@osiris/connector-postgres') return next(specifier, context);
          throw Object.assign(new Error('Cannot find package ' + specifier), { code: 'ERR_MODULE_NOT_FOUND' });
        }\`));
      const { supabaseConnector } = await import(process.env.CONNECTOR);
      const config = supabaseConnector.configSchema.parse(JSON.parse(process.env.CONFIG));
      const connection = await supabaseConnector.connect(config, { reference: '@supabase.child', alias: 'child' });
      const rows = [Array.from({ length: 20 }, (_, i) => ({ id: i }))];
      const result = await connection.write({ table: process.env.TABLE, rows });
      const report = await connection.check();
      await connection.close();
      console.log(JSON.stringify({ method: result.method, rowsWritten: result.rowsWritten, check: report.message, db: report.details.dbUrl }));
    `;
    const config = {
      url: service().url,
      key: service().serviceRoleKey,
      schema: service().schema,
      db_url: service().dbUrl,
      copy_threshold: 1,
    };
    const { stdout } = await run(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        PATH: process.env.PATH,
        CONNECTOR: new URL('../dist/index.js', import.meta.url).href,
        CONFIG: JSON.stringify(config),
        TABLE: T.no_peer,
      },
    });
    const outcome = JSON.parse(stdout.trim().split('\n').at(-1)!);
    expect(outcome).toMatchObject({
      method: 'insert',
      rowsWritten: 20,
      db: { configured: true, copy: false },
    });
    expect(outcome.check).toContain('@osiris/connector-postgres is not installed: writes go through the API');
    expect(await count(T.no_peer)).toBe(20);
  });

  test('a view is written through the API whatever the size (COPY writes into tables only)', async () => {
    await service().sql(`CREATE VIEW ${T.plain_view} AS SELECT id, name FROM ${T.plain}`);
    await service().reloadSchema();
    const result = await (await viaCopy()).write({
      table: T.plain_view,
      rows: [[{ id: 50_000, name: 'through the view' }]],
    });
    expect(result).toMatchObject({ method: 'insert', rowsWritten: 1 });
    expect(await count(T.plain)).toBe(10_001);
  });

  test('row objects that leave a key out: read ahead, the API writes the default; past the rows read ahead, COPY refuses and writes nothing', async () => {
    await service().sql(`CREATE TABLE ${T.shapes} (id int PRIMARY KEY, status text NOT NULL DEFAULT 'new')`);
    await service().reloadSchema();
    const connection = await connect({ db_url: service().dbUrl, copy_threshold: 2 });
    const early = await connection.write({ table: T.shapes, rows: [[{ id: 1, status: 'done' }, { id: 2 }]] });
    expect(early.method).toBe('insert');
    expect((await service().sql(`SELECT status FROM ${T.shapes} WHERE id = 2`)).rows).toEqual([
      { status: 'new' },
    ]);
    const late = await failure(
      connection.write({
        table: T.shapes,
        rows: [
          [
            { id: 3, status: 'a' },
            { id: 4, status: 'b' },
          ],
          [{ id: 5 }],
        ],
      }),
    );
    expect(late).toMatchObject({
      code: 'SCHEMA_MISMATCH',
      category: 'config',
      details: { row: 3, column: 'status' },
    });
    expect(late.message).toContain('no row was written');
    expect(await count(T.shapes)).toBe(2);
  });

  test('a key a row object adds later: the API writes it; COPY refuses before committing anything', async () => {
    for (const table of [T.extra_api, T.extra_copy]) {
      await service().sql(`CREATE TABLE ${table} (id int PRIMARY KEY, a int, b int)`);
    }
    await service().reloadSchema();
    const rows = () => [[{ id: 1, a: 1 }], [{ id: 2, a: 2, b: 2 }]];
    expect(await (await viaApi()).write({ table: T.extra_api, rows: rows() })).toMatchObject({
      rowsWritten: 2,
    });
    const copy = await failure((await viaCopy()).write({ table: T.extra_copy, rows: rows() }));
    expect(copy).toMatchObject({ code: 'SCHEMA_MISMATCH', details: { row: 2, column: 'b' } });
    expect(await count(T.extra_copy)).toBe(0);
  });
});

describe('check and doctor say what db_url gives', () => {
  test('not set, set and answering, set and not answering', async () => {
    expect((await (await connect()).check()).details).toMatchObject({ dbUrl: { configured: false } });
    const report = await (await connect({ db_url: service().dbUrl })).check();
    expect(report.message).toMatch(
      /db_url: PostgreSQL 15\.\d+.*, database \S+, \d+(\.\d+)? ms \(writes of 5000\+ rows go through COPY\)/,
    );
    expect(report.details).toMatchObject({ dbUrl: { configured: true, copy: true, copyThreshold: 5000 } });
    const broken = await failure(
      (await connect({ db_url: 'postgres://postgres@127.0.0.1:1/none', timeout: 2 })).check(),
    );
    expect(broken).toMatchObject({ code: 'CONNECTION_REFUSED', category: 'network' });
    expect(broken.message).toContain('The API answers, but db_url does not');
  });

  test('the password in db_url reaches no message, detail, stack, log or doctor output', async () => {
    const secret = canary();
    const url = new URL(service().dbUrl);
    url.password = secret;
    // The local server trusts loopback: the password is ignored, so the direct path really runs with it.
    const withSecret = url.href;
    await service().sql(`CREATE TABLE ${T.secret_t} (id int PRIMARY KEY, n int NOT NULL)`);
    await service().sql(`INSERT INTO ${T.secret_t} VALUES (1, 1)`);
    await service().reloadSchema();
    const logged: unknown[] = [];
    const spies = (['log', 'warn', 'error', 'info', 'debug'] as const).map((level) => {
      const original = console[level];
      console[level] = (...args: unknown[]) => void logged.push(args);
      return () => (console[level] = original);
    });
    const outputs: unknown[] = [];
    try {
      const connection = await connect({ db_url: withSecret, copy_threshold: 1 });
      outputs.push(await connection.check());
      outputs.push(await failure(connection.write({ table: T.secret_t, rows: [[{ id: 1, n: 2 }]] })));
      outputs.push(await failure(connection.write({ table: T.secret_t, rows: [[{ id: 2, n: null }]] })));
      outputs.push(await failure(connection.write({ table: T.secret_t, rows: [[{ id: 2 }], [{ id: 3 }]] })));
      const closed = new URL(withSecret);
      closed.port = '1';
      const unreachable = await connect({ db_url: closed.href, timeout: 2 });
      outputs.push(await failure(unreachable.check()));
      // libpq words: the password is its own word, quoted.
      const words = `host=${url.hostname} port=${url.port || 5432} dbname=${url.pathname.slice(1)} user=${decodeURIComponent(url.username)} password='${secret}'`;
      const viaWords = await connect({ db_url: words, copy_threshold: 1 });
      outputs.push(await viaWords.check());
      outputs.push(await failure(viaWords.write({ table: T.secret_t, rows: [[{ id: 1, n: 2 }]] })));
      const { href: bad } = new URL(`postgres://u:${secret}@127.0.0.1/x?weird=1`);
      outputs.push(await failure((await connect({ db_url: bad, copy_threshold: 1 })).check()));
      const registry = createRegistry([supabaseConnector]);
      const connections = parseConnections(
        `connections:\n  supabase:\n    main:\n      url: ${service().url}\n      key: ${service().serviceRoleKey}\n      schema: ${service().schema}\n      db_url: ${withSecret}\n    down:\n      url: ${service().url}\n      key: ${service().serviceRoleKey}\n      db_url: ${closed.href}\n      timeout: 2\n`,
        'osiris_connections.yaml',
      );
      const resolver = createResolver({ registry, connections });
      const report = await doctor({ registry, resolver, timeoutMs: 10_000 });
      outputs.push(report);
      expect(report.results.map((r) => [r.reference, r.status])).toEqual([
        ['@supabase.down', 'failed'],
        ['@supabase.main', 'ok'],
      ]);
    } finally {
      for (const restore of spies) restore();
    }
    expect(outputs[1]).toMatchObject({ code: 'DUPLICATE_KEY' });
    expect(outputs[2]).toMatchObject({ code: 'VALUE_INVALID', details: { row: 1, column: 'n' } });
    for (const output of [...outputs, ...logged]) {
      const text = [
        JSON.stringify(output, (_, v) => (typeof v === 'bigint' ? String(v) : v)),
        ...errorOutputs(output),
      ].join('\n');
      expect(text).not.toContain(secret);
    }
  });
});
