import type { z } from 'zod';
import type { Connection } from './contract/connection.js';
import type { ConnectorPlugin } from './contract/connector.js';
import type { Registry } from './contract/registry.js';
import type { ResolvedConnection, Resolver } from './contract/resolver.js';
import { ConnectorError } from './errors.js';
import { openConnection, resolveReference } from './open-connection.js';

/** Hands out one shared connection per reference and closes them all together. */
export interface ConnectionManager extends AsyncDisposable {
  /** The registry connections are opened with. */
  readonly registry: Registry;
  /** The resolver references are resolved with. */
  readonly resolver: Resolver;
  /** The shared connection of a reference, opened on first use (`@mysql` and its default alias share one). */
  get(reference: string): Promise<Connection>;
  /**
   * The same, typed by the plugin of its family (`get('@mysql', mysql)` is a `MysqlConnection`); a
   * reference of another family is refused with `WRONG_FAMILY` rather than cast.
   */
  get<TConnection extends Connection>(
    reference: string,
    plugin: ConnectorPlugin<z.ZodType, TConnection>,
  ): Promise<TConnection>;
  /** Closes every open connection; later calls do nothing more. */
  closeAll(): Promise<void>;
}

/** What a manager works with. */
export interface ConnectionManagerOptions {
  /** Plugins by family. */
  registry: Registry;
  /** Turns references into validated configs. */
  resolver: Resolver;
}

interface Entry {
  /** Settles once the connector's connect() does. */
  opening: Promise<Connection>;
  /** Set once open, so that closeAll knows what to close without waiting for connects in flight. */
  connection?: Connection;
}

/**
 * Creates a manager. Concurrent `get`s of one reference share a single `connect()`; a failed connect is
 * not kept, so the next `get` tries again. Errors are `ConnectorError`s classified by the plugin and naming
 * the canonical reference.
 *
 * `closeAll()` (also `await using`) closes every open connection, even when some `close()` throws
 * (then it rejects with `CLOSE_FAILED` listing them); calling it again only waits for the first call.
 * It does not wait for connects still in flight (a connect may never return): their `signal` is
 * aborted, those connections are closed as they arrive, and their `get` rejects with `MANAGER_CLOSED`,
 * as does every later `get`.
 */
export function createConnectionManager({ registry, resolver }: ConnectionManagerOptions): ConnectionManager {
  const entries = new Map<string, Entry>();
  let closing: Promise<void> | undefined;
  // Tells connects still in flight at closeAll() to give up.
  const closed = new AbortController();

  const closedError = (reference: string) =>
    new ConnectorError(`Cannot open ${reference}: the connection manager is closed`, {
      code: 'MANAGER_CLOSED',
      category: 'internal',
      reference,
      hint: 'Get connections before closeAll(), or create a new manager',
    });

  function open(resolved: ResolvedConnection): Entry {
    const entry: Entry = {
      opening: openConnection(registry, resolved, { signal: closed.signal }).then(
        (connection) => {
          if (closing === undefined) {
            entry.connection = connection;
            return connection;
          }
          // closeAll already ran, so nothing else would ever close this one.
          Promise.resolve()
            .then(() => connection.close())
            .catch(() => undefined);
          throw closedError(resolved.reference);
        },
        (error: unknown) => {
          if (entries.get(resolved.reference) === entry) entries.delete(resolved.reference);
          throw error;
        },
      ),
    };
    return entry;
  }

  const manager: ConnectionManager = {
    registry,
    resolver,
    async get(reference: string, plugin?: ConnectorPlugin): Promise<Connection> {
      if (closing !== undefined) throw closedError(reference);
      const resolved = resolveReference(resolver, reference);
      if (plugin !== undefined && plugin.family !== resolved.family) throw wrongFamily(resolved, plugin);
      let entry = entries.get(resolved.reference);
      if (entry === undefined) {
        entry = open(resolved);
        entries.set(resolved.reference, entry);
      }
      return entry.opening;
    },
    closeAll() {
      if (closing !== undefined) return closing.catch(() => undefined);
      const opened = [...entries].flatMap(([reference, entry]) =>
        entry.connection === undefined ? [] : [{ reference, connection: entry.connection }],
      );
      entries.clear();
      closed.abort();
      closing = closeEach(opened);
      return closing;
    },
    [Symbol.asyncDispose]: () => manager.closeAll(),
  };
  return manager;
}

const wrongFamily = (resolved: ResolvedConnection, plugin: ConnectorPlugin) =>
  new ConnectorError(
    `${resolved.reference} is a ${resolved.family} connection, not ${plugin.family}: it cannot be opened as one`,
    {
      code: 'WRONG_FAMILY',
      category: 'config',
      reference: resolved.reference,
      hint: `Pass the ${resolved.family} plugin, or a @${plugin.family} reference`,
    },
  );

async function closeEach(opened: { reference: string; connection: Connection }[]): Promise<void> {
  const outcomes = await Promise.allSettled(
    opened.map(({ connection }) => Promise.resolve().then(() => connection.close())),
  );
  const failures = opened.flatMap(({ reference }, index) => {
    const outcome = outcomes[index];
    return outcome?.status === 'rejected' ? [{ reference, error: outcome.reason as unknown }] : [];
  });
  if (failures.length === 0) return;
  const list = failures
    .map(({ reference, error }) => `${reference} (${error instanceof Error ? error.message : String(error)})`)
    .join('; ');
  throw new ConnectorError(`Closing ${failures.length} of ${opened.length} connections failed: ${list}`, {
    code: 'CLOSE_FAILED',
    category: 'internal',
    hint: 'The other connections were closed; the failing connector may leave a socket or file handle open',
    details: { references: failures.map(({ reference }) => reference) },
    cause: failures[0]?.error,
  });
}
