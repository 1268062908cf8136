import { createHmac } from 'node:crypto';

/** The secret the local Supabase stack signs its keys with (public, for local development only). */
export const LOCAL_JWT_SECRET = 'super-secret-jwt-token-with-at-least-32-characters-long';

const base64url = (data: string | Buffer) => Buffer.from(data).toString('base64url');

/** Signs `claims` as an HS256 JWT, as Supabase's API keys are. */
export function mintJwt(claims: Record<string, unknown>, secret = LOCAL_JWT_SECRET): string {
  const head = `${base64url(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))}.${base64url(JSON.stringify(claims))}`;
  return `${head}.${base64url(createHmac('sha256', secret).update(head).digest())}`;
}

/** An API key for `role` with the local stack's claims. */
export function mintSupabaseKey(role: 'anon' | 'service_role', secret = LOCAL_JWT_SECRET): string {
  return mintJwt({ iss: 'supabase-demo', role, exp: 1983812996 }, secret);
}
