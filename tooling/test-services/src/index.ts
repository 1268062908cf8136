export { type Fault, type FaultProxy, type FaultRequest, startFaultProxy } from './fault-proxy.js';
export { createTestDatabase, mysqlServerUrl, type TestDatabase } from './mariadb.js';
export {
  connectAdmin,
  createPostgresDatabase,
  databaseUrl,
  postgresServerUrl,
  type TestPostgresDatabase,
} from './postgres.js';
export { type SupabaseTestService, startSupabaseTestService, usesExternalSupabase } from './postgrest.js';
export { LOCAL_JWT_SECRET, mintJwt, mintSupabaseKey } from './postgrest-jwt.js';
export {
  createTypeZoo,
  EVERY_BYTE,
  TYPE_ZOO_COLUMNS,
  TYPE_ZOO_ROWS,
  type ZooColumn,
  type ZooTextForm,
  zooCellText,
  zooServerText,
} from './type-zoo.js';
