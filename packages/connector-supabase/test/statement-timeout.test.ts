import { beforeAll, expect, test } from 'vitest';
import { failure, useSupabase } from './support.js';

const { service, connect, tables } = useSupabase();
const T = tables('heavy');

beforeAll(async () => {
  const sql = service().sql;
  await sql(`CREATE TABLE ${T.heavy} (id int PRIMARY KEY)`);
  await sql(`CREATE FUNCTION ${T.heavy}_work() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN PERFORM pg_sleep(1); RETURN NULL; END $$`);
  await sql(
    `CREATE TRIGGER heavy AFTER INSERT ON ${T.heavy} FOR EACH STATEMENT EXECUTE FUNCTION ${T.heavy}_work()`,
  );
  if (service().local) {
    // A statement timeout for this database only, as a hosted project has one for its API roles.
    const { rows } = await sql<{ db: string }>('SELECT current_database() AS db');
    await sql(`ALTER ROLE authenticator IN DATABASE ${rows[0]!.db} SET statement_timeout = '300ms'`);
    await service().restart();
  }
  await service().reloadSchema();
});

test.runIf(!process.env.SUPABASE_URL)(
  'a statement timeout (57014) is timeout, with a hint to send smaller batches',
  async () => {
    const connection = await connect({ retries: 0 });
    const error = await failure(connection.write({ table: T.heavy, rows: [[{ id: 1 }]] }));
    expect(error).toMatchObject({
      code: 'QUERY_TIMEOUT',
      category: 'timeout',
      details: { postgrestCode: '57014' },
    });
    expect(error.hint).toContain('batch_size');
  },
);
