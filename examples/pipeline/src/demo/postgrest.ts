import { type SupabaseTestService, startSupabaseTestService } from '@osiris/test-services';
import { ORDERS_TABLE } from './postgres.js';

/**
 * A local Supabase-shaped API: the real PostgREST binary over a fresh PostgreSQL database with
 * Supabase's roles, and an empty `orders` table for the pipeline to fill. `stop()` drops it all.
 */
export async function startLocalSupabase(): Promise<SupabaseTestService> {
  // Always the local PostgREST: the test service would otherwise use a project these name.
  delete process.env.SUPABASE_URL;
  delete process.env.SUPABASE_SERVICE_ROLE_KEY;
  const service = await startSupabaseTestService();
  try {
    await service.sql(ORDERS_TABLE);
    await service.reloadSchema();
  } catch (error) {
    await service.stop();
    throw error;
  }
  return service;
}
