/**
 * What became of each request of a write, and the one error that tells a failed write's whole
 * story: which rows were written, which were not, which may or may not have been, and what was
 * never sent. Users decide on a retry from it, so it names exact row ranges and never guesses.
 */
import { ConnectorError, isConnectorError, toConnectorError } from '@osiris/core';
import { lastRow, type RequestBatch } from './batches.js';
import { provablyNotExecuted } from './errors.js';

/** What became of one request's rows. */
type Fate = 'written' | 'not_written' | 'unknown';

/** One request's rows and their fate. */
interface Settled {
  batch: number;
  firstRow: number;
  lastRow: number;
  fate: Fate;
  error?: ConnectorError;
}

/** Row ranges `[first, last]`, adjacent ones merged. */
type Ranges = [number, number][];

const merged = (items: Settled[]): Ranges => {
  const ranges: Ranges = [];
  for (const { firstRow, lastRow } of [...items].sort((a, b) => a.firstRow - b.firstRow)) {
    const last = ranges[ranges.length - 1];
    if (last !== undefined && last[1] + 1 === firstRow) last[1] = lastRow;
    else ranges.push([firstRow, lastRow]);
  }
  return ranges;
};

const rowsText = (ranges: Ranges) =>
  `row${ranges.length === 1 && ranges[0]![0] === ranges[0]![1] ? '' : 's'} ${ranges
    .map(([first, last]) => (first === last ? `${first}` : `${first}–${last}`))
    .join(', ')}`;

/** The fates of a write's requests, filled in as they settle. */
export class WriteFates {
  private readonly settled: Settled[] = [];
  private lastRowSent = 0;

  /** Notes that a request for `batch` is about to be sent. */
  sending(batch: RequestBatch): void {
    this.lastRowSent = Math.max(this.lastRowSent, lastRow(batch));
  }

  /** Notes the request's answer: success, or the error it ended with. */
  settle(batch: RequestBatch, error?: unknown): void {
    const range = {
      batch: batch.index,
      firstRow: batch.firstRow,
      lastRow: lastRow(batch),
    };
    if (error === undefined) this.settled.push({ ...range, fate: 'written' });
    else {
      const fate = provablyNotExecuted(error) ? 'not_written' : 'unknown';
      this.settled.push({ ...range, fate, error: toConnectorError(error) });
    }
  }

  /** Whether some request failed. */
  get failed(): boolean {
    return this.settled.some((item) => item.fate !== 'written');
  }

  /** Whether any request was sent. */
  get sent(): boolean {
    return this.lastRowSent > 0;
  }

  /**
   * The write's error: the first failure's message and kind, followed by the fate of every row.
   * An append with a row of unknown fate is `WRITE_FATE_UNKNOWN` (sending those rows again could
   * write them twice); `sourceError` is a failure of the rows' source rather than of a request.
   */
  error(mode: 'append' | 'upsert' | 'replace', table: string, sourceError?: unknown): ConnectorError {
    const failures = this.settled.filter((item) => item.fate !== 'written').sort((a, b) => a.batch - b.batch);
    const primary = sourceError === undefined ? failures[0]!.error! : toConnectorError(sourceError);
    const ranges = (fate: Fate) => merged(this.settled.filter((item) => item.fate === fate));
    const written = ranges('written');
    const notWritten = ranges('not_written');
    const unknown = ranges('unknown');
    const story = [
      written.length > 0 ? `${rowsText(written)} were written` : `no row is known to be written`,
      ...(notWritten.length > 0 ? [`${rowsText(notWritten)} were not written`] : []),
      ...(unknown.length > 0 ? [`${rowsText(unknown)} may or may not have been written`] : []),
      `no row after ${this.lastRowSent} was sent`,
    ];
    const others = failures
      .filter((item) => item.error !== primary)
      .map(
        (item) =>
          `batch ${item.batch} (${rowsText([[item.firstRow, item.lastRow]])}) failed too: ${item.error!.code}`,
      );
    const replaced =
      mode === 'replace'
        ? ' Nothing was deleted: the rows written replaced the rows with the same key, and every other row of the table is still there.'
        : '';
    const fateUnknown = mode === 'append' && unknown.length > 0;
    const first = failures[0];
    return new ConnectorError(
      `${primary.message} — of this ${mode} into ${table}, ${story.join('; ')}.${others.length > 0 ? ` ${others.join('; ')}.` : ''}${replaced}`,
      {
        code: fateUnknown ? 'WRITE_FATE_UNKNOWN' : primary.code,
        category: fateUnknown
          ? this.settled.find((item) => item.fate === 'unknown')!.error!.category
          : primary.category,
        hint: fateUnknown
          ? `Check whether ${rowsText(unknown)} are in the table before writing them again, or use mode 'upsert' (retried safely)`
          : primary.hint,
        retryable: fateUnknown ? false : primary.retryable,
        details: {
          ...primary.details,
          ...(first === undefined
            ? {}
            : { batch: first.batch, firstRow: first.firstRow, lastRow: first.lastRow }),
          written,
          notWritten,
          fateUnknown: unknown,
          lastRowSent: this.lastRowSent,
          failures: failures.map(({ batch, firstRow, lastRow, fate, error }) => ({
            batch,
            firstRow,
            lastRow,
            fate,
            code: error!.code,
          })),
        },
        cause: primary,
      },
    );
  }
}

/** The same error, not to be retried: an append whose request may have run must not be sent again. */
export function notToRetry(error: unknown): unknown {
  if (!isConnectorError(error) || !error.retryable) return error;
  return new ConnectorError(error.message, {
    code: error.code,
    category: error.category,
    hint: error.hint,
    retryable: false,
    details: error.details,
    cause: error,
  });
}
