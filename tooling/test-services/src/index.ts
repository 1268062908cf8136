export { createTestDatabase, mysqlServerUrl, type TestDatabase } from './mariadb.js';
