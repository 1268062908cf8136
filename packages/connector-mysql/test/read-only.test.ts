import { ConnectorError, MASK, registerSecret } from '@osiris/core';
import { describe, expect, it } from 'vitest';
import { bindParameters } from '../src/read-only/bind.js';
import { flavourOf } from '../src/read-only/flavour.js';
import { validateReadOnly } from '../src/read-only/index.js';
import { cases, type GuardCase } from './fixtures/read-only/cases.js';

/** What the guard did with a query: undefined when allowed, else the thrown error. */
function verdictOf(sql: string, server?: GuardCase['server']): ConnectorError | undefined {
  try {
    validateReadOnly(sql, server ? { server } : {});
    return undefined;
  } catch (error) {
    if (error instanceof ConnectorError) return error;
    throw error;
  }
}

const label = (c: GuardCase) =>
  `${JSON.stringify(c.sql).slice(0, 90)}${c.server ? ` [${c.server}]` : ''} — ${c.why}`;

describe('validateReadOnly: the case table', () => {
  it('holds at least 150 cases with both verdicts, each with a reason', () => {
    expect(cases.length).toBeGreaterThanOrEqual(150);
    expect(cases.filter((c) => c.verdict === 'allow').length).toBeGreaterThanOrEqual(60);
    expect(cases.filter((c) => c.verdict === 'deny').length).toBeGreaterThanOrEqual(90);
    for (const c of cases) {
      expect(c.why.length).toBeGreaterThanOrEqual(2);
      if (c.verdict === 'deny') expect(c.rule).toBeDefined();
    }
  });

  it.each(cases.filter((c) => c.verdict === 'allow').map((c) => [label(c), c] as const))(
    'allows %s',
    (_, c) => {
      const error = verdictOf(c.sql, c.server);
      expect(error?.message).toBeUndefined();
    },
  );

  it.each(cases.filter((c) => c.verdict === 'deny').map((c) => [label(c), c] as const))(
    'denies %s',
    (_, c) => {
      const error = verdictOf(c.sql, c.server);
      expect(error, 'the guard let it through').toBeDefined();
      expect(error!.code).toBe('READ_ONLY_VIOLATION');
      expect(error!.category).toBe('read_only');
      expect({ rule: error!.details?.rule, message: error!.message }).toMatchObject({ rule: c.rule });
    },
  );
});

describe('validateReadOnly: errors', () => {
  it('names the reason, where, and what to do instead', () => {
    const error = verdictOf('SELECT * FROM t WHERE id = 1 AND SLEEP(5)');
    expect(error?.message).toBe('Read-only guard: SLEEP() sleeps (at character 34).');
    expect(error?.hint).toMatch(/side-effect-free builtin/);
    expect(error?.details).toEqual({ rule: 'function', offset: 33 });
    expect(error?.retryable).toBe(false);
  });

  it('never echoes string literals or long names from the query', () => {
    const marker = 'osiris-marker-7f3a';
    const long = 'x'.repeat(100_000);
    const errors = [
      verdictOf(`SELECT '${marker}' INTO OUTFILE '/tmp/${marker}'`),
      verdictOf(`SELECT "${marker}\\" , SLEEP(1) -- "`),
      verdictOf(`SELECT ${long}(1)`),
      verdictOf(`SELECT '${long}' /*! ${marker} */`),
      verdictOf(`INSERT${long} INTO t VALUES ('${marker}')`),
    ];
    for (const error of errors) {
      expect(error).toBeDefined();
      expect(error!.message.length).toBeLessThan(200);
      expect(error!.message).not.toContain(marker);
      expect(JSON.stringify(error!.toJSON())).not.toContain(marker);
    }
  });

  it('keeps a registered secret out of the message even when it is a name in the query', () => {
    const canary = 'canarySecretFn9q2';
    registerSecret(canary);
    const error = verdictOf(`SELECT ${canary}(1)`);
    expect(error?.message).not.toContain(canary);
    expect(error?.message).toContain(MASK);
  });

  it('refuses a value that is not text', () => {
    expect(verdictOf(42 as unknown as string)?.details?.rule).toBe('empty');
  });
});

describe('validateReadOnly: server flavours', () => {
  it('allows each server its own builtins and only shared ones when the server is unknown', () => {
    expect(verdictOf("SELECT JSON_DETAILED('{}')", 'mariadb')).toBeUndefined();
    expect(verdictOf("SELECT REGEXP_LIKE('a', 'b')", 'mysql')).toBeUndefined();
    expect(verdictOf("SELECT REGEXP_LIKE('a', 'b')", 'mariadb')?.details?.rule).toBe('function');
    expect(verdictOf("SELECT JSON_DETAILED('{}')")?.details?.rule).toBe('function');
    expect(verdictOf('SELECT CONCAT(1)')).toBeUndefined();
  });

  it('denies the side-effect functions whatever the server', () => {
    for (const server of [undefined, 'mysql', 'mariadb'] as const) {
      for (const name of [
        'SLEEP',
        'BENCHMARK',
        'GET_LOCK',
        'LOAD_FILE',
        'MASTER_POS_WAIT',
        'NEXTVAL',
        'SETVAL',
      ]) {
        expect(verdictOf(`SELECT ${name}(1)`, server)).toBeDefined();
      }
    }
  });
});

describe('bindParameters: values the guard reads the same in every sql_mode', () => {
  it("doubles a quote instead of escaping it, so O'Brien passes the guard", () => {
    const sql = bindParameters('SELECT * FROM t WHERE name = ?', ["O'Brien"], 'Z');
    expect(sql).toBe("SELECT * FROM t WHERE name = 'O''Brien'");
    expect(verdictOf(sql)).toBeUndefined();
  });

  it('keeps backslash escapes for backslashes and control characters, and drops the needless one before "', () => {
    const sql = bindParameters('SELECT ?', ['a\\\'b"c\n\0'], 'Z');
    expect(sql).toBe("SELECT 'a\\\\''b\"c\\n\\0'");
    expect(verdictOf(sql)).toBeUndefined();
  });

  it('binds lists, numbers, null, dates and buffers as mysql2 does, quotes doubled inside', () => {
    expect(bindParameters('SELECT * FROM t WHERE a IN (?)', [["it's", 2]], 'Z')).toBe(
      "SELECT * FROM t WHERE a IN ('it''s', 2)",
    );
    expect(
      bindParameters(
        'SELECT ?, ?, ?, ?',
        [1.5, null, new Date(Date.UTC(2024, 0, 2)), Buffer.from('AB')],
        'Z',
      ),
    ).toBe("SELECT 1.5, NULL, '2024-01-02 00:00:00.000', X'4142'");
  });

  it('a quote-laden value never lets text out of its string', () => {
    for (const value of ["'", "''", "\\'", "' OR SLEEP(1) -- ", "\\' , SLEEP(1) -- '", '" , SLEEP(1) -- "']) {
      expect(
        verdictOf(bindParameters('SELECT * FROM t WHERE note = ?', [value], 'Z')),
        value,
      ).toBeUndefined();
    }
  });
});

describe('flavourOf: the server flavour only when version, catalogue and variables agree', () => {
  const mariadb = {
    version: '10.11.19-MariaDB-0+deb12u1',
    mariadbTables: 1,
    mysqlTables: 0,
    timeLimit: 'max_statement_time' as const,
  };
  const mysql = {
    version: '8.0.36',
    mariadbTables: 0,
    mysqlTables: 2,
    timeLimit: 'max_execution_time' as const,
  };

  it('names MariaDB and MySQL when both facts say so', () => {
    expect(flavourOf(mariadb)).toBe('mariadb');
    expect(flavourOf({ ...mariadb, version: '5.5.5-10.11.6-MariaDB-log' })).toBe('mariadb');
    expect(flavourOf(mysql)).toBe('mysql');
    expect(flavourOf({ ...mysql, version: '8.4.3-commercial' })).toBe('mysql');
  });

  it('is unsure when the version string hides MariaDB, or the catalogue contradicts it', () => {
    expect(flavourOf({ ...mariadb, version: '8.0.36' })).toBeUndefined();
    expect(flavourOf({ ...mariadb, version: '5.7.99-proxy' })).toBeUndefined();
    expect(flavourOf({ ...mysql, version: '10.11.19-MariaDB' })).toBeUndefined();
    expect(flavourOf({ ...mariadb, mysqlTables: 1 })).toBeUndefined();
    expect(flavourOf({ ...mysql, mariadbTables: 1 })).toBeUndefined();
    expect(flavourOf({ ...mysql, version: 'unknown' })).toBeUndefined();
  });

  it("is unsure when the server's variables are the other server's, or neither", () => {
    expect(flavourOf({ ...mariadb, timeLimit: 'max_execution_time' })).toBeUndefined();
    expect(flavourOf({ ...mysql, timeLimit: 'max_statement_time' })).toBeUndefined();
    expect(flavourOf({ ...mariadb, timeLimit: undefined })).toBeUndefined();
    expect(flavourOf({ ...mysql, timeLimit: undefined })).toBeUndefined();
  });

  it('is unsure about servers older than the builtin lists (they lack some builtins, which are then stored-function names)', () => {
    expect(flavourOf({ ...mariadb, version: '10.6.16-MariaDB' })).toBeUndefined();
    expect(flavourOf({ ...mysql, version: '8.0.30' })).toBeUndefined();
    expect(flavourOf({ ...mariadb, version: '11.4.2-MariaDB' })).toBe('mariadb');
  });
});
