import type { StepOutcome } from './run-pipeline.js';

const count = new Intl.NumberFormat('en-US');
const SYMBOL = { ok: '✓', skipped: '–', failed: '✗' } as const;

/** The closing lines: the count per status, then each step with what it moved or why it did not. */
export function renderSummary(steps: readonly StepOutcome[]): string {
  const total = (status: StepOutcome['status']) => steps.filter((step) => step.status === status).length;
  const lines = steps.map((step) => {
    const what = step.result
      ? `${count.format(step.result.rowsWritten)} rows in ${(step.result.durationMs / 1000).toFixed(2)} s`
      : `${step.status}: ${step.reason}`;
    return `  ${SYMBOL[step.status]} ${step.name}  ${step.from} → ${step.to}  ${what}`;
  });
  return [
    `summary: ${total('ok')} ok, ${total('failed')} failed, ${total('skipped')} skipped`,
    ...lines,
  ].join('\n');
}
