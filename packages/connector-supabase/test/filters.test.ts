import { beforeAll, expect, test } from 'vitest';
import { splitLongInList, URL_BUDGET } from '../src/filters.js';
import { readAll, useSupabase } from './support.js';

const { service, connect, tables } = useSupabase();
const T = tables('words', 'tagged');

/** Values that collide with PostgREST's list and logic-tree grammar. */
const awkward = [
  'a,b',
  'say "hi"',
  'back\\slash',
  '(paren)',
  'null',
  '',
  'with space',
  'dot.ted',
  'col:on',
  'ünï',
];

beforeAll(async () => {
  await service().sql(`CREATE TABLE ${T.words} (id int PRIMARY KEY, word text NOT NULL)`);
  await service().sql(
    `INSERT INTO ${T.words} SELECT i, w FROM unnest($1::text[]) WITH ORDINALITY AS t(w, i)`,
    [awkward],
  );
  await service().reloadSchema();
});

test('eq matches every awkward value exactly', async () => {
  const connection = await connect();
  for (const word of awkward) {
    const rows = await readAll(connection.read({ table: T.words, filters: { word } }));
    expect(rows.map((row) => row.word)).toEqual([word]);
  }
});

test('an in list of awkward values matches exactly those values', async () => {
  const connection = await connect();
  const rows = await readAll(
    connection.read({ table: T.words, filters: [{ column: 'word', op: 'in', value: awkward }] }),
  );
  expect(rows.map((row) => row.word).sort()).toEqual([...awkward].sort());
});

test('keyset pages move past awkward key values (text key, page size 1)', async () => {
  await service().sql(`CREATE TABLE ${T.tagged} (tag text PRIMARY KEY)`);
  await service().sql(`INSERT INTO ${T.tagged} SELECT unnest($1::text[])`, [awkward]);
  await service().reloadSchema();
  const connection = await connect({ page_size: 1 });
  const rows = await readAll(connection.read({ table: T.tagged }));
  expect(rows.map((row) => row.tag).sort()).toEqual([...awkward].sort());
});

test('a long in list is split into requests that each fit the URL budget', () => {
  const list = Array.from({ length: 5000 }, (_, i) => String(i));
  const sets = splitLongInList([{ column: 'id', op: 'in', text: `(${list.join(',')})`, list }]);
  expect(sets.length).toBeGreaterThan(1);
  expect(sets.flatMap((set) => set[0]!.list)).toEqual(list);
  for (const set of sets) expect(encodeURIComponent(set[0]!.text).length).toBeLessThanOrEqual(URL_BUDGET);
});
