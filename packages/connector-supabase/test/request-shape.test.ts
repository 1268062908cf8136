import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type SupabaseConnection, supabaseConnector } from '../src/index.js';
import { failure, readAll } from './support.js';

// A plain HTTP server stands in for the API: these requests must be refused before any is sent.
const received: string[] = [];
const server = createServer((request, response) => {
  received.push(`${request.method} ${request.url}`);
  response.writeHead(500).end();
});
let connection: SupabaseConnection;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const config = supabaseConnector.configSchema.parse({
    url: `http://127.0.0.1:${port}`,
    key: 'k',
    retries: 0,
  });
  connection = await supabaseConnector.connect(config, { reference: '@supabase.shape', alias: 'shape' });
});
afterAll(async () => {
  await connection.close();
  await new Promise((resolve) => server.close(resolve));
});

describe('requests are validated locally', () => {
  test('a write with an unknown key, or without a table, is REQUEST_INVALID and sends nothing', async () => {
    const rows = [[{ id: 1 }]];
    const typo = await failure(connection.write({ table: 'orders', rows, upsert: true } as never));
    expect(typo).toMatchObject({ code: 'REQUEST_INVALID', category: 'config' });
    expect(typo.message).toBe('Invalid Supabase write request: unknown option "upsert"');
    expect(typo.hint).toContain('mode');
    const noTable = await failure(connection.write({ tabel: 'orders', rows } as never));
    expect(noTable.message).toContain('unknown option "tabel"');
    expect(noTable.message).toContain('table: Expected the table name');
    expect(await failure(connection.write({ table: 'orders', rows, mode: 'merge' } as never))).toMatchObject({
      code: 'REQUEST_INVALID',
      message: expect.stringContaining('mode'),
    });
    expect(received).toEqual([]);
  });

  test('a read with an unknown key or a bad limit is REQUEST_INVALID and sends nothing', async () => {
    expect(() => connection.read({ table: 'orders', order_by: 'id' } as never)).toThrow(
      'Invalid Supabase read request: unknown option "order_by"',
    );
    expect(() => connection.read({ table: 'orders', limit: -1 })).toThrow(/limit/);
    expect(() => connection.read({ table: '' })).toThrow(/table: Expected the table name/);
    expect(received).toEqual([]);
  });

  test('a valid request is sent as before', async () => {
    await failure(readAll(connection.read({ table: 'orders', limit: 1 })));
    expect(received.length).toBeGreaterThan(0);
    expect(received.every((line) => line.startsWith('GET /rest/v1/'))).toBe(true);
  });
});
