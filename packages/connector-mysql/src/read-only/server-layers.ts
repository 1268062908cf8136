/**
 * Every rule a read-only connection enforces, as one sequence in the order a call meets them, so that the whole
 * defence is read here: (1) the client offers the server no local files, (2) each server session is read-only
 * with a statement time limit, (3) `write()` is refused outright, (4) each statement passes the guard with its
 * parameters bound, exactly as the server will receive it, (5) each call runs inside a read-only transaction
 * that is rolled back. The README's "Read-only connections" section measures what each layer stops on its own.
 */
import { ConnectorError } from '@osiris/core';
import type { MysqlConfig } from '../config.js';
import type { ServerConnection } from '../server-connection.js';
import type { Statement } from '../sql.js';
import { inTransaction } from '../transaction.js';
import { bindParameters } from './bind.js';
import { flavourOf, readServerFacts, type ServerFacts } from './flavour.js';
import { validateReadOnly } from './index.js';

/** The layers of one read-only connection; the server facts they rest on are read once, on its first session. */
export class ReadOnlyLayers {
  /** 1. Client flags: without LOCAL_FILES the server cannot ask for a file (`LOAD DATA LOCAL INFILE`). */
  readonly clientFlags: readonly string[] = ['-LOCAL_FILES'];
  private facts: Promise<ServerFacts> | undefined;

  constructor(private readonly config: MysqlConfig) {}

  /**
   * 2. Session settings, applied to every new server session: a statement time limit from read_timeout (through
   * the variable the server has, whatever its version string says) and `TRANSACTION READ ONLY`.
   */
  async prepareSession(connection: ServerConnection): Promise<void> {
    const { timeLimit } = await this.serverFacts(connection);
    if (timeLimit === undefined) throw noTimeLimit();
    const seconds = this.config.read_timeout;
    await connection.run(`SET SESSION ${timeLimit} = ?`, [
      timeLimit === 'max_statement_time' ? seconds : Math.round(seconds * 1000),
    ]);
    await connection.run('SET SESSION TRANSACTION READ ONLY');
  }

  /** 3. Writes: refused before any connection is taken. */
  refuseWrite(): never {
    throw new ConnectorError('This connection is read-only; writes are refused', {
      code: 'READ_ONLY_VIOLATION',
      category: 'read_only',
      hint: 'Use a connection without read_only: true for writes',
    });
  }

  /**
   * 4. The guard, the only place a caller's statement is checked: parameters are bound first (quotes doubled,
   * see bind.ts), so it sees exactly the text the server runs; builtins of one flavour pass only when the server
   * proves it is that flavour.
   */
  async guard(connection: ServerConnection, statement: Statement): Promise<Statement> {
    const sql =
      statement.values.length > 0
        ? bindParameters(statement.sql, statement.values, this.config.timezone)
        : statement.sql;
    validateReadOnly(sql, { server: flavourOf(await this.serverFacts(connection)) });
    return { sql, values: [] };
  }

  /** 5. The read-only transaction around a call's statements: what one did anyway is rolled back. */
  inTransaction<T>(connection: ServerConnection, work: () => Promise<T>): Promise<T> {
    return inTransaction(connection, 'read-only', work);
  }

  /** Version, catalogue and variables of the server, read once (again after a failed read). */
  private serverFacts(connection: ServerConnection): Promise<ServerFacts> {
    this.facts ??= readServerFacts(async (sql) => (await connection.run(sql)).rows as unknown[]);
    this.facts.catch(() => {
      this.facts = undefined;
    });
    return this.facts;
  }
}

/** A server with neither max_statement_time nor max_execution_time: a read-only session could run forever. */
function noTimeLimit(): ConnectorError {
  return new ConnectorError(
    'The server has no statement time limit (neither max_statement_time nor max_execution_time), which a read-only connection needs',
    {
      code: 'UNSUPPORTED',
      category: 'unsupported',
      hint: 'Use MariaDB ≥ 10.1 or MySQL ≥ 5.7.8, or a connection without read_only',
    },
  );
}
