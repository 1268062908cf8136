import { checkOptions } from './check-options.js';
import type { CheckReport, Connection } from './contract/connection.js';
import type { Registry } from './contract/registry.js';
import type { ResolvedConnection, Resolver } from './contract/resolver.js';
import type { ErrorCode } from './error-catalogue.js';
import { type ConnectorError, type ErrorCategory, toConnectorError } from './errors.js';
import type { ConnectionManager } from './manager.js';
import { type OpenOptions, openConnection, resolveReference } from './open-connection.js';
import { redactDeep } from './redaction.js';
import { withTimeout } from './timeout.js';

/**
 * - `ok`: connected, and the check answered.
 * - `failed`: the config resolved, but connecting or checking failed (refused, bad password, timeout…).
 * - `error`: the reference could not be turned into a config: malformed or unknown reference, missing
 *   variable, invalid config, or no plugin registered for the family. Nothing was contacted.
 * - `skipped`: connected, but the connection has no `check()` (a plain-JS plugin may omit it).
 */
export type DoctorStatus = 'ok' | 'failed' | 'error' | 'skipped';

/** One reference's outcome. Every string in it has been through `redact`. */
export interface DoctorResult {
  /** Canonical `@family.alias` (as given when it could not be resolved). */
  reference: string;
  /** Family part of the reference. */
  family: string;
  /** Alias part of the reference (empty when a malformed or `@family` reference could not be resolved). */
  alias: string;
  /** See `DoctorStatus`. */
  status: DoctorStatus;
  /** Kind of failure, for `failed` and `error`. */
  category?: ErrorCategory;
  /** Stable error code, for `failed` and `error` (`OPERATION_TIMEOUT` when doctor stopped waiting). */
  code?: ErrorCode;
  /** Milliseconds from the start of this reference's diagnosis to its outcome (resolve + connect + check). */
  latencyMs: number;
  /** One line for a person: what the check found, or what went wrong. */
  message: string;
  /** What a person can do about a failure. */
  hint?: string;
  /** Facts: server version and the like on success, error details (and `location`) on failure. */
  details?: Record<string, unknown>;
  /** What the config resolved with but is worth fixing (an unknown field under `validation: warn`). */
  warnings?: string[];
}

/** What `doctor` returns. */
export interface DoctorReport {
  /** True when no result is `failed` or `error`. */
  ok: boolean;
  /** One result per distinct canonical reference, sorted by reference. */
  results: DoctorResult[];
}

/** Where doctor gets its connections: a caller's manager, or a registry and resolver of its own. */
export type DoctorSource =
  | { manager: ConnectionManager; registry?: undefined; resolver?: undefined }
  | { manager?: undefined; registry: Registry; resolver: Resolver };

/** What to check and how patiently. */
export type DoctorOptions = DoctorSource & {
  /** References to check (`@family` picks its default alias); default every reference the resolver knows. */
  references?: readonly string[];
  /** Budget for connect + check of one reference, in milliseconds. */
  timeoutMs?: number;
  /** How many references are checked at once. */
  concurrency?: number;
};

/** Extra time a connector gets to report its own timeout (more precise than doctor's) after `timeoutMs`. */
const GRACE_MS = 50;
/** How long doctor waits for one of its own connections to close before it moves on. */
const CLOSE_WAIT_MS = 1000;
const TIMED_OUT = Symbol('timed out');
const NO_CHECK = Symbol('no check');

interface Source {
  registry: Registry;
  resolver: Resolver;
  /** Opens (or borrows) the connection of a resolved reference; an owned open gets up to `deadline`. */
  open(resolved: ResolvedConnection, options: OpenOptions): Promise<Connection>;
  /** Whether doctor opened the connections itself, and so must close them. */
  owned: boolean;
}

type Target =
  | { reference: string; resolved: ResolvedConnection; spentMs: number }
  | { reference: string; error: ConnectorError; spentMs: number };

/**
 * Checks the selected references concurrently and says, per reference, whether it works and if not
 * why. One bad reference never hides the others, and doctor itself does not throw for any of them.
 *
 * Each reference gets `timeoutMs` for connect + check; its `check()` is told the time left and gets an
 * `AbortSignal`. A connect or check that has not settled by then (even one ignoring the signal) is
 * reported `failed` / `timeout` (`OPERATION_TIMEOUT`) no later than `timeoutMs` + 50 ms.
 *
 * With `manager`, doctor uses the manager's shared connections and leaves them open: the manager owns
 * them. With `registry` + `resolver`, doctor opens a connection per reference and closes it once its
 * result is known (one whose connect outlives the timeout is closed when it arrives); closing is best
 * effort and never changes a result.
 */
export async function doctor(options: DoctorOptions): Promise<DoctorReport> {
  const { timeoutMs = 5000, concurrency = 8 } = options;
  assertOptions(options, timeoutMs, concurrency);
  const source = sourceOf(options);
  const targets = new Map<string, Target>();
  for (const reference of new Set(options.references ?? source.resolver.references())) {
    const target = prepare(reference, source);
    if (!targets.has(target.reference)) targets.set(target.reference, target);
  }
  const sorted = [...targets.values()].sort((a, b) => compare(a.reference, b.reference));
  const results = await mapConcurrently(sorted, concurrency, (target) =>
    'error' in target
      ? Promise.resolve(fromError('error', identify(target.reference), target.error, target.spentMs))
      : diagnose(target.resolved, source, timeoutMs, target.spentMs).then((result) =>
          target.resolved.warnings === undefined
            ? result
            : { ...result, warnings: target.resolved.warnings.map((warning) => warning.message) },
        ),
  );
  return {
    ok: results.every((result) => result.status === 'ok' || result.status === 'skipped'),
    results: results.map((result) => redactDeep(result)),
  };
}

function sourceOf(options: DoctorOptions): Source {
  const { manager } = options;
  if (manager !== undefined) {
    return {
      registry: manager.registry,
      resolver: manager.resolver,
      open: (resolved) => manager.get(resolved.reference),
      owned: false,
    };
  }
  const { registry, resolver } = options;
  return {
    registry,
    resolver,
    open: (resolved, open) => openConnection(registry, resolved, open),
    owned: true,
  };
}

/** Resolves a reference and finds its plugin: what fails here is an `error` (nothing was contacted). */
function prepare(reference: string, source: Source): Target {
  const started = performance.now();
  try {
    const resolved = resolveReference(source.resolver, reference);
    source.registry.get(resolved.family); // throws UNKNOWN_FAMILY before anything is contacted
    return { reference: resolved.reference, resolved, spentMs: performance.now() - started };
  } catch (error) {
    return { reference, error: toConnectorError(error), spentMs: performance.now() - started };
  }
}

async function diagnose(
  resolved: ResolvedConnection,
  source: Source,
  timeoutMs: number,
  spentMs: number,
): Promise<DoctorResult> {
  const started = performance.now() - spentMs;
  const elapsed = () => Math.round(performance.now() - started);
  const target = { reference: resolved.reference, family: resolved.family, alias: resolved.alias };
  const controller = new AbortController();
  let connected = false;
  let settled = false;
  const deadline = Date.now() + Math.max(0, timeoutMs - elapsed());
  const opening = source.open(resolved, { signal: controller.signal, deadline });
  const probe = opening
    .then(async (connection): Promise<CheckReport | typeof NO_CHECK> => {
      connected = true;
      if (typeof connection.check !== 'function') return NO_CHECK;
      // openConnection has routed check() errors through the plugin's classifyError already.
      return connection.check({ timeoutMs: Math.max(1, timeoutMs - elapsed()), signal: controller.signal });
    })
    .finally(() => {
      settled = true;
    });
  try {
    const report = await withTimeout(() => probe, {
      ms: Math.max(0, timeoutMs - elapsed()) + GRACE_MS,
      timeoutError: () => TIMED_OUT,
    }).catch((error: unknown): typeof TIMED_OUT => {
      if (error === TIMED_OUT) return TIMED_OUT;
      throw error;
    });
    if (report === TIMED_OUT) {
      return {
        ...target,
        status: 'failed',
        category: 'timeout',
        code: 'OPERATION_TIMEOUT',
        latencyMs: elapsed(),
        message: `No answer from ${resolved.reference} within ${timeoutMs} ms${connected ? '' : ' (still connecting)'}`,
        hint: 'Check that the host is reachable from here and that the port belongs to the expected service (a firewall dropping packets looks like this), or allow a longer timeout',
      };
    }
    if (report === NO_CHECK) {
      return {
        ...target,
        status: 'skipped',
        latencyMs: elapsed(),
        message: `Connected; the ${resolved.family} connector offers no check`,
      };
    }
    return {
      ...target,
      status: 'ok',
      latencyMs: elapsed(),
      message: typeof report?.message === 'string' ? report.message : 'The connection answered its check',
      ...(report?.details === undefined ? {} : { details: report.details }),
    };
  } catch (error) {
    return fromError('failed', target, toConnectorError(error), elapsed());
  } finally {
    controller.abort();
    if (source.owned) {
      // Closed now if open, else as soon as its connect returns. Waiting is only worth it when nothing hangs.
      const closing = opening.then(closeQuietly, () => undefined);
      if (settled) await withTimeout(() => closing, { ms: CLOSE_WAIT_MS }).catch(() => undefined);
    }
  }
}

function fromError(
  status: 'failed' | 'error',
  target: { reference: string; family: string; alias: string },
  error: ConnectorError,
  latencyMs: number,
): DoctorResult {
  const details =
    error.location === undefined ? error.details : { ...error.details, location: error.location };
  return {
    ...target,
    status,
    category: error.category,
    code: error.code,
    latencyMs: Math.round(latencyMs),
    message: error.message,
    ...(error.hint === undefined ? {} : { hint: error.hint }),
    ...(details === undefined ? {} : { details }),
  };
}

/** Family and alias read off a reference that could not be resolved, as far as it has them. */
function identify(reference: string): { reference: string; family: string; alias: string } {
  const [family = '', alias = ''] = reference.replace(/^@/, '').split(/\.(.*)/s);
  return { reference, family, alias };
}

const closeQuietly = (connection: Connection): Promise<void> =>
  Promise.resolve()
    .then(() => connection.close())
    .catch(() => undefined);

async function mapConcurrently<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = [];
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await fn(items[index] as T);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

function assertOptions(options: DoctorOptions, timeoutMs: number, concurrency: number): void {
  checkOptions(
    'doctor',
    [
      [
        options.manager !== undefined || (options.registry !== undefined && options.resolver !== undefined),
        'pass either manager, or registry and resolver',
      ],
      [Number.isFinite(timeoutMs) && timeoutMs > 0, `timeoutMs must be a positive number, got ${timeoutMs}`],
      [
        Number.isInteger(concurrency) && concurrency >= 1,
        `concurrency must be an integer ≥ 1, got ${concurrency}`,
      ],
    ],
    'doctor({ registry, resolver, timeoutMs: 5000 })',
  );
}
