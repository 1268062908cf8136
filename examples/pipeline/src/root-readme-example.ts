import filesystem, { type FsConnection } from '@osiris/connector-fs';
import mysql, { type MysqlConnection } from '@osiris/connector-mysql';
import {
  createConnectionManager,
  createRegistry,
  createResolver,
  doctor,
  loadConnections,
} from '@osiris/core';

const registry = createRegistry([mysql, filesystem]);
const resolver = createResolver({ registry, connections: await loadConnections() });
await using manager = createConnectionManager({ registry, resolver });

const report = await doctor({ manager, references: ['@mysql', '@filesystem.out'] });
if (!report.ok) throw new Error('connections are not healthy');

const source = await manager.get<MysqlConnection>('@mysql');
const sink = await manager.get<FsConnection>('@filesystem.out');
const result = await sink.write({
  path: 'orders.csv',
  format: 'csv',
  rows: source.read({ table: 'orders' }),
});
console.log(`${result.rowsWritten} rows in ${result.durationMs} ms`);
