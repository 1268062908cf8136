import { describe, expect, test } from 'vitest';
import { runSuiteTest } from './support/record.js';
import { tableConnector } from './support/table-connector.js';
import { tableSuites } from './support/table-suites.js';

const SOURCE = 'fast lane: source > table: positional() gives the rows';
const RELEASE = 'fast lane: source > table: leaving positional() early';
const SINK = 'fast lane: sink > table: rows from a positional source';
const SOURCE_SKIPPED = 'fast lane: source > table: skipped';
const SINK_SKIPPED = 'fast lane: sink > table: skipped';

describe('fast-lane suites', () => {
  test('pass for a connector built on sinkInput, positionalConverter and positionalStream', async () => {
    const tests = tableSuites(tableConnector());
    const lane = [...tests.keys()].filter((name) => name.startsWith('fast lane'));
    expect(lane).toEqual([
      'fast lane: source > table: positional() gives the rows of the row-object iteration, described, canonical, in columns() order',
      'fast lane: source > table: leaving positional() early releases the read',
      'fast lane: source > table: an aborted positional() stops with an error and releases the read',
      'fast lane: sink > table: rows from a positional source read back as the same rows written as objects, through the lane',
    ]);
    for (const name of lane) await runSuiteTest(tests, name);
  });

  test('fail a positional() that reorders columns, naming the column whose value it holds', async () => {
    await expect(runSuiteTest(tableSuites(tableConnector('lane-reordered')), SOURCE)).rejects.toThrow(
      "Positional row of id bigint 1n, position 1 (column name): number -3, where the row object of the same read holds string 'plain' — the value of column score. positional() gives each row's values in columns() order",
    );
  });

  test('fail a positional() that drops a column', async () => {
    await expect(runSuiteTest(tableSuites(tableConnector('lane-dropped')), SOURCE)).rejects.toThrow(
      'Positional row 1 has 5 values for the 6 columns of columns() (id, name, score, active, created_at, note): a positional row holds one value per column, in columns() order — none dropped, none added',
    );
  });

  test('fail a positional() whose values are not canonical', async () => {
    await expect(runSuiteTest(tableSuites(tableConnector('date-for-timestamp')), SOURCE)).rejects.toThrow(
      "Row 1 of positional() (id bigint 1n), column created_at described as timestamp(3): Date 2024-01-01T00:00:00.000Z is not the canonical value of timestamp(3), which is string '2024-01-01T00:00:00.000Z'",
    );
    await expect(runSuiteTest(tableSuites(tableConnector('number-for-decimal')), SOURCE)).rejects.toThrow(
      "column score described as decimal(12,2): number -3 is not the canonical value of decimal(12,2), which is string '-3.00'",
    );
  });

  test('fail a positional() over undescribed columns', async () => {
    await expect(runSuiteTest(tableSuites(tableConnector('untyped')), SOURCE)).rejects.toThrow(
      'positional() is offered, but columns() describes id, name, score, active, created_at, note with no logical type',
    );
  });

  test('fail a positional() that keeps the read open after break', async () => {
    await expect(runSuiteTest(tableSuites(tableConnector('lane-unreleased')), RELEASE)).rejects.toThrow(
      'After a break out of positional(), the read still holds what it opened (assertReleased: 1 read(s) of the store still open',
    );
    // The row batches of the same connector release: only the lane is at fault.
    await runSuiteTest(
      tableSuites(tableConnector('lane-unreleased')),
      'round trip > table: leaving a read early',
    );
  });

  test('fail a positional() that goes on after the signal aborted', async () => {
    await expect(
      runSuiteTest(tableSuites(tableConnector('lane-unaborted')), 'fast lane: source > table: an aborted'),
    ).rejects.toThrow(
      "positional() goes on after the read request's signal aborted: a lane stops with an error as the row batches do",
    );
  });

  test('fail a source whose columns() waits for a batch, as sinkInput asks it first', async () => {
    await expect(
      runSuiteTest(tableSuites(tableConnector('columns-after-first-batch')), SOURCE),
    ).rejects.toThrow(
      "columns() did not resolve within 10000 ms before positional() was iterated: core's sinkInput asks a fast-lane source for its columns first, so the source must answer before its first batch is asked for",
    );
  }, 30_000);

  test('fail a source without positional(), telling to skip the half or build the lane', async () => {
    await expect(runSuiteTest(tableSuites(tableConnector('no-source-lane')), SOURCE)).rejects.toThrow(
      "The read offers no positional(): a source without a fast lane skips this suite (skip: ['fast-lane-source'] with the reason); one with a lane builds its stream with core's positionalStream",
    );
  });

  test('fail a sink that ignores the values of the lane', async () => {
    await expect(runSuiteTest(tableSuites(tableConnector('sink-ignores-lane-values')), SINK)).rejects.toThrow(
      "Rows written through the fast lane read back differently from the same rows written as objects: row id string '1', column active: through the lane string 'true', as objects boolean true",
    );
  });

  test('fail a sink that does not take the lane, naming sinkInput', async () => {
    await expect(runSuiteTest(tableSuites(tableConnector('no-sink-lane')), SINK)).rejects.toThrow(
      "WriteResult.fastLane is false for rows from a source that offers positional(): a sink calls core's sinkInput(request) inside write(), writes input.batches and reports fastLane: input.fastLane (while it has no lane: skip: ['fast-lane-sink'] with the reason)",
    );
  });

  test('a skipped half is replaced by a test that holds only while the connector has no lane for it', async () => {
    const skip = ['fast-lane-source', 'fast-lane-sink'] as const;
    const without = tableSuites(tableConnector('no-source-lane', 'no-sink-lane'), {}, skip);
    expect([...without.keys()].filter((name) => name.startsWith('fast lane'))).toEqual([
      'fast lane: source > table: skipped, which holds while the read offers no positional()',
      'fast lane: sink > table: skipped, which holds while the sink does not take the lane',
    ]);
    await runSuiteTest(without, SOURCE_SKIPPED);
    await runSuiteTest(without, SINK_SKIPPED);

    const laned = tableSuites(tableConnector(), {}, skip);
    await expect(runSuiteTest(laned, SOURCE_SKIPPED)).rejects.toThrow(
      "The read offers positional() now: take 'fast-lane-source' out of skip",
    );
    await expect(runSuiteTest(laned, SINK_SKIPPED)).rejects.toThrow(
      "The sink takes the fast lane now (WriteResult.fastLane is true): take 'fast-lane-sink' out of skip",
    );
  });
});
