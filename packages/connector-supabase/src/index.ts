export type { SupabaseConfig } from './config.js';
export { type SupabaseConnection, supabaseConnector, supabaseConnector as default } from './connector.js';
export { SUPABASE_ERROR_CODES } from './error-codes.js';
export type { FilterCondition, Filters } from './filters.js';
export type { OrderBy, OrderColumn } from './pagination.js';
export type { SupabaseReadRequest } from './read.js';
export type { ColumnMeta, TableInfo } from './table-info.js';
export type { SupabaseWriteRequest } from './write.js';
