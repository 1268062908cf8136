/**
 * One round-trip session, shared by the suites that write and read back: a connection opened from
 * `workingConfig` through core's real resolver, a fresh target from the variant, and the requests the suites
 * send through it (the suite's columns declared, unless a test writes a stream that describes its own).
 */
import assert from 'node:assert/strict';
import type { ColumnInfo, Row, WriteRequestBase } from '@osiris/core';
import {
  ROUND_TRIP_COLUMNS,
  type RoundTripContext,
  type RoundTripOptions,
  type RoundTripVariant,
} from '../suites/round-trip.js';
import type { SuiteContext } from '../types.js';
import { singleAlias } from './single-alias.js';

/** The rows and columns of a whole read. */
export interface ReadBack {
  /** Every row read, in id order. */
  rows: Row[];
  /** What the stream's `columns()` said once the read was done. */
  columns: readonly ColumnInfo[];
}

/** Opens a connection and a fresh target of `variantName`, runs `body`, then removes the target and closes. */
export async function withTarget(
  context: SuiteContext & { roundTrip: RoundTripOptions },
  variantName: string,
  body: (session: RoundTripContext, variant: RoundTripVariant) => Promise<void>,
): Promise<void> {
  const { plugin } = context;
  const variant = context.roundTrip.variants[variantName]!;
  const written = await context.workingConfig?.();
  assert.ok(written !== undefined, 'Pass workingConfig so the round-trip suites can connect');
  const { resolver, reference } = singleAlias(plugin, written);
  const { config, alias } = resolver.resolve(reference);
  const connection = await plugin.connect(config, { reference, alias });
  const name = `rt_${variantName}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 8)}`
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_');
  const targetContext = { connection, name, columns: ROUND_TRIP_COLUMNS };
  const target = await variant.target(targetContext);
  try {
    await body({ ...targetContext, target }, variant);
  } finally {
    try {
      await target.cleanup?.();
    } finally {
      await connection.close();
    }
  }
}

/** Writes `rows` to the session's target, the suite's columns declared unless `declared` is false. */
export function write(
  session: RoundTripContext,
  rows: WriteRequestBase['rows'],
  extra: Partial<WriteRequestBase> = {},
  declared = true,
) {
  const connection = session.connection;
  assert.ok(connection.write, 'the connection has write()');
  const columns = declared ? { columns: ROUND_TRIP_COLUMNS } : {};
  return connection.write({ ...session.target.write, rows, ...columns, ...extra });
}

/** Opens a read of the session's target. */
export function read(session: RoundTripContext, batchSize: number, signal?: AbortSignal) {
  const connection = session.connection;
  assert.ok(connection.read, 'the connection has read()');
  return connection.read({ ...session.target.read, batchSize, signal });
}

/** Reads the whole target as row objects. */
export async function readBack(session: RoundTripContext, batchSize: number): Promise<ReadBack> {
  const stream = read(session, batchSize);
  const rows: Row[] = [];
  for await (const batch of stream) rows.push(...batch);
  return { rows: sortById(rows), columns: await stream.columns() };
}

/** Sorted by numeric id: a database may return rows in any order. */
export function sortById<T extends Row>(rows: readonly T[]): T[] {
  return [...rows].sort((a, b) => Number(a.id) - Number(b.id));
}
