/** Where progress goes; on a terminal the current step's line is redrawn in place. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

const count = new Intl.NumberFormat('en-US');

/** `12,345 rows  8,230 rows/s  1.5 s` */
export function formatRate(rows: number, elapsedMs: number): string {
  const perSecond = elapsedMs > 0 ? Math.round((rows * 1000) / elapsedMs) : rows;
  const seconds = (elapsedMs / 1000).toFixed(elapsedMs < 10_000 ? 2 : 1);
  return `${count.format(rows)} rows  ${count.format(perSecond)} rows/s  ${seconds} s`;
}

/** A live line per step on a terminal (redrawn at most every 100 ms); nothing off a terminal. */
export function createProgressLine(stream: ProgressStream, label: string) {
  const live = stream.isTTY === true;
  let lastDraw = 0;
  return {
    update(rows: number, elapsedMs: number): void {
      if (!live || elapsedMs - lastDraw < 100) return;
      lastDraw = elapsedMs;
      stream.write(`\u001b[2K\r  … ${label}  ${formatRate(rows, elapsedMs)}`);
    },
    /** Clears the live line so the step's final line replaces it. */
    clear(): void {
      if (live) stream.write('\u001b[2K\r');
    },
  };
}
