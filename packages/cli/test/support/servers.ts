import {
  createTestDatabase,
  type SupabaseTestService,
  startSupabaseTestService,
  type TestDatabase,
} from '@osiris/test-services';

/** A connections file with one alias per family, every value through a variable. */
export const MIXED_CONNECTIONS = `connections:
  filesystem:
    out:
      base_dir: \${OUT_DIR}
  mysql:
    main:
      default: true
      host: \${MYSQL_HOST:-127.0.0.1}
      port: \${MYSQL_PORT:-3306}
      database: \${MYSQL_DATABASE}
      username: \${MYSQL_USER:-root}
      password: \${MYSQL_PASSWORD:-}
  supabase:
    api:
      url: \${SUPABASE_URL}
      key: \${SUPABASE_KEY}
`;

/** The real MariaDB database and PostgREST the CLI talks to, and the variables that point at them. */
export interface Servers {
  mysql: TestDatabase;
  supabase: SupabaseTestService;
  env: Record<string, string>;
  stop(): Promise<void>;
}

export async function startServers(): Promise<Servers> {
  const [mysql, supabase] = await Promise.all([createTestDatabase('osiris_cli'), startSupabaseTestService()]);
  return {
    mysql,
    supabase,
    env: {
      MYSQL_HOST: mysql.host,
      MYSQL_PORT: String(mysql.port),
      MYSQL_DATABASE: mysql.database,
      MYSQL_USER: mysql.user,
      MYSQL_PASSWORD: mysql.password,
      SUPABASE_URL: supabase.url,
      SUPABASE_KEY: supabase.serviceRoleKey,
    },
    stop: async () => {
      await Promise.all([mysql.drop(), supabase.stop()]);
    },
  };
}
