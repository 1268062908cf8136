import { z } from 'zod';
import {
  API_VERSION,
  type CheckReport,
  type Connection,
  ConnectorError,
  defineConnector,
} from '../../src/index.js';

/** What an alias of the scripted connector does; each alias's config picks its own behaviour. */
const configSchema = z.strictObject({
  /** `hang` never settles; `throw` throws a raw driver-like error carrying the password. */
  connect: z.enum(['ok', 'throw', 'hang', 'gate']).default('ok'),
  /**
   * `ignore-abort` never settles whatever the signal says; `none` leaves check() out; `chatty` reports the
   * password; `bare` resolves to nothing, as a plain-JS check that only awaits a ping would.
   */
  check: z.enum(['ok', 'throw', 'ignore-abort', 'none', 'slow', 'chatty', 'bare']).default('ok'),
  /** `slow` takes 2 s, like a pool that waits for a hung query before it ends. */
  close: z.enum(['ok', 'throw', 'slow']).default('ok'),
  password: z.string().optional(),
});

type Script = z.output<typeof configSchema>;

/** What a scripted connector saw, for assertions. */
export interface ScriptLog {
  connects: string[];
  closes: string[];
  /** Checks running right now, and the most that ever ran at once. */
  running: number;
  maxRunning: number;
  /** Releases every connect that waits at its gate (`connect: gate`). */
  openGates(): void;
}

/**
 * A plugin whose behaviour is scripted per alias, for manager and doctor tests: hangs, throws,
 * missing check, slow checks. Raw errors carry the password, as careless drivers do.
 */
export function scriptedConnector(family = 'scripted') {
  const gates: (() => void)[] = [];
  const log: ScriptLog = {
    connects: [],
    closes: [],
    running: 0,
    maxRunning: 0,
    openGates: () => {
      for (const open of gates.splice(0)) open();
    },
  };
  const plugin = defineConnector({
    family,
    apiVersion: API_VERSION,
    configSchema,
    secrets: ['/password'],
    capabilities: [],
    classifyError: (error) =>
      (error as { code?: string }).code === 'ECONNREFUSED'
        ? new ConnectorError('Connection refused', {
            code: 'CONNECTION_REFUSED',
            category: 'network',
            cause: error,
          })
        : undefined,
    async connect(script: Script, context) {
      log.connects.push(context.reference);
      if (script.connect === 'hang') await new Promise(() => {});
      if (script.connect === 'gate') await new Promise<void>((resolve) => gates.push(resolve));
      if (script.connect === 'throw')
        throw driverError(`connect ECONNREFUSED with password ${script.password}`);
      const connection: Connection = {
        check: (options) => check(script, log, options?.signal),
        async close() {
          log.closes.push(context.reference);
          if (script.close === 'throw') throw new Error(`close failed for ${context.reference}`);
          if (script.close === 'slow') await new Promise((resolve) => setTimeout(resolve, 2000));
        },
      };
      if (script.check === 'none') Reflect.deleteProperty(connection, 'check');
      return connection;
    },
  });
  return { plugin, log };
}

async function check(script: Script, log: ScriptLog, signal: AbortSignal | undefined): Promise<CheckReport> {
  log.running++;
  log.maxRunning = Math.max(log.maxRunning, log.running);
  try {
    if (script.check === 'ignore-abort') await new Promise(() => {});
    if (script.check === 'slow') await new Promise((resolve) => setTimeout(resolve, 60));
    if (script.check === 'throw') {
      throw Object.assign(new Error(`query failed: password ${script.password} rejected`), {
        code: 'ER_SOMETHING',
        cause: new Error(`inner ${script.password}`),
      });
    }
    signal?.throwIfAborted();
    if (script.check === 'bare') return undefined as unknown as CheckReport;
    if (script.check === 'chatty') {
      return { message: `logged in with ${script.password}`, details: { dsn: `x://u:${script.password}@h` } };
    }
    return { message: 'scripted ok', details: { version: '1.2.3' } };
  } finally {
    log.running--;
  }
}

const driverError = (message: string) => Object.assign(new Error(message), { code: 'ECONNREFUSED' });
