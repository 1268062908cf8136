import filesystem from '@osiris/connector-fs';
import mysql from '@osiris/connector-mysql';
import {
  createConnectionManager,
  createRegistry,
  createResolver,
  doctor,
  loadConnections,
} from '@osiris/core';

const registry = createRegistry([mysql, filesystem]);
const resolver = createResolver({ registry, connections: await loadConnections() });
const manager = createConnectionManager({ registry, resolver });
try {
  const report = await doctor({ manager, references: ['@mysql', '@filesystem.out'] });
  if (!report.ok) throw new Error('connections are not healthy');

  // Typed by the plugin: a MysqlConnection and an FsConnection (a reference of another family is refused).
  const source = await manager.get('@mysql', mysql);
  const sink = await manager.get('@filesystem.out', filesystem);
  const result = await sink.write({
    path: 'orders.csv',
    format: 'csv',
    rows: source.read({ table: 'orders' }),
  });
  console.log(`${result.rowsWritten} rows in ${result.durationMs} ms`);
} finally {
  await manager.closeAll();
}
