import { describeConnector } from '@osiris/connector-testkit';
import { afterAll, describe, expect, test } from 'vitest';
import { memoryConnector } from './support/memory-connector.js';
import { type MemoryServer, startMemoryServer } from './support/memory-server.js';

// The conformance kit, run against core's own memory connector: proves the kit and the runtime together.
let server: MemoryServer | undefined;

describeConnector(memoryConnector, {
  test: { describe, test },
  unreachableConfig: (secret, port) => ({ host: '127.0.0.1', port, password: secret }),
  workingConfig: async () => {
    server ??= await startMemoryServer({ password: 'memory-working-pw' });
    return { port: server.port, password: 'memory-working-pw' };
  },
});

afterAll(async () => {
  await server?.close();
});

describe('memory connector data contract', () => {
  test('writes batches, reads them back in batches with columns, and replace swaps the rows', async () => {
    const connection = await memoryConnector.connect(
      memoryConnector.configSchema.parse({ port: 1, password: 'data-contract' }),
      { reference: '@memory.data', alias: 'data' },
    );
    const progress: number[] = [];
    const result = await connection.write?.({
      table: 'orders',
      rows: [
        [{ id: 1, total: 10 }],
        [
          { id: 2, total: 20 },
          { id: 3, total: 30 },
        ],
      ],
      onProgress: (p) => progress.push(p.rows),
    });
    expect(result).toMatchObject({ rowsWritten: 3, batches: 2 });
    expect(progress).toEqual([1, 3]);
    const stream = connection.read?.({ table: 'orders', batchSize: 2 });
    const batches = [];
    for await (const batch of stream ?? []) batches.push(batch);
    expect(batches).toEqual([
      [
        { id: 1, total: 10 },
        { id: 2, total: 20 },
      ],
      [{ id: 3, total: 30 }],
    ]);
    expect(await stream?.columns()).toEqual([{ name: 'id' }, { name: 'total' }]);
    const replaced = await connection.write?.({ table: 'orders', mode: 'replace', rows: [[{ id: 9 }]] });
    expect(replaced).toMatchObject({ rowsWritten: 1, rowsDeleted: 3 });
    await expect(connection.read?.({ table: 'missing' }).columns()).rejects.toMatchObject({
      code: 'TABLE_NOT_FOUND',
    });
    await connection.close();
  });
});
