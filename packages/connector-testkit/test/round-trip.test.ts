import { describe, expect, test } from 'vitest';
import { runSuiteTest } from './support/record.js';
import { tableConnector } from './support/table-connector.js';
import { tableSuites } from './support/table-suites.js';

const READ_BACK = 'round trip > table: batches written are read back';
const DESCRIBED = 'round trip > table: a read describes each written column';

describe('round-trip suite', () => {
  test('passes every test for a typed connector, with no normalize', async () => {
    const tests = tableSuites(tableConnector());
    const roundTrip = [...tests.keys()].filter((name) => name.startsWith('round trip'));
    expect(roundTrip).toHaveLength(6);
    for (const name of roundTrip) await runSuiteTest(tests, name);
  });

  test('writes canonical values: a bigint id, timestamp text', async () => {
    const { roundTripRows } = await import('../src/index.js');
    expect(roundTripRows(2)[1]).toEqual({
      id: 2n,
      name: 'comma, inside',
      score: -2.75,
      active: false,
      created_at: '2024-01-01T01:00:00.000Z',
      note: 'note 1',
    });
  });

  test('fails a read that gives a Date for a timestamp, naming row, column and the canonical value', async () => {
    const tests = tableSuites(tableConnector('date-for-timestamp'));
    await expect(runSuiteTest(tests, DESCRIBED)).rejects.toThrow(
      "Row 1 of the read (id bigint 1n), column created_at described as timestamp(3): Date 2024-01-01T00:00:00.000Z is not the canonical value of timestamp(3), which is string '2024-01-01T00:00:00.000Z'",
    );
    await expect(runSuiteTest(tests, READ_BACK)).rejects.toThrow(
      "Read back differs from what was written: row id bigint 1n, column created_at: expected back string '2024-01-01T00:00:00.000Z', read back Date 2024-01-01T00:00:00.000Z",
    );
  });

  test('fails a read that gives a number for a decimal', async () => {
    await expect(runSuiteTest(tableSuites(tableConnector('number-for-decimal')), DESCRIBED)).rejects.toThrow(
      "column score described as decimal(12,2): number -3 is not the canonical value of decimal(12,2), which is string '-3.00'",
    );
  });

  test('fails a read whose columns() says NOT NULL of a column holding null', async () => {
    await expect(runSuiteTest(tableSuites(tableConnector('all-not-null')), DESCRIBED)).rejects.toThrow(
      'Row 1 of the read (id bigint 1n) holds null in column note, which columns() describes as NOT NULL (nullable: false)',
    );
  });

  test('fails a read whose columns carry no logical type, pointing an untyped target to normalize', async () => {
    const tests = tableSuites(tableConnector('untyped'));
    await expect(runSuiteTest(tests, DESCRIBED)).rejects.toThrow(
      'columns() describes id, name, score, active, created_at, note with no logical type',
    );
    await expect(runSuiteTest(tests, READ_BACK)).rejects.toThrow(
      "Column id reads back with no logical type: a typed target describes every column it reads; an untyped one (a CSV without descriptor) says what its values read back as with the variant's normalize",
    );
  });

  test('normalize opts an untyped target out of the typed checks, and still compares every value', async () => {
    const passes = tableSuites(tableConnector('untyped'), { normalize: (value) => value });
    await runSuiteTest(passes, DESCRIBED);
    await runSuiteTest(passes, READ_BACK);
    const wrong = tableSuites(tableConnector('untyped'), {
      normalize: (value) => (value === true ? 1 : value),
    });
    await expect(runSuiteTest(wrong, READ_BACK)).rejects.toThrow(
      'row id bigint 1n, column active: expected back number 1, read back boolean true',
    );
  });

  test('fails a column that reads back as another kind, naming the normalize opt-out', async () => {
    const tests = tableSuites(tableConnector('boolean-as-integer'));
    await expect(runSuiteTest(tests, READ_BACK)).rejects.toThrow(
      "Column active was written as boolean and reads back as integer(8): a typed target keeps each column's kind. A target whose types have no boolean (MySQL, for one, stores a boolean as TINYINT(1)) says what it reads back as with the variant's normalize",
    );
    const declared = tableSuites(tableConnector('boolean-as-integer'), {
      normalize: (value, column) => (column === 'active' ? Number(value) : value),
    });
    await runSuiteTest(declared, READ_BACK);
    await runSuiteTest(declared, DESCRIBED);
  });

  test('takes a value spelled at the precision of the target column, of the same kind', async () => {
    await runSuiteTest(tableSuites(tableConnector('timestamp-6')), READ_BACK);
  });
});
