import { createStyle, type Style } from './style.js';
import { renderTable } from './table.js';

/** The fields of one core doctor result the table shows. */
export interface DoctorRow {
  reference: string;
  status: 'ok' | 'failed' | 'error' | 'skipped';
  latencyMs?: number;
  message: string;
  hint?: string;
  code?: string;
  warnings?: string[];
}

const SYMBOLS = {
  ok: (style: Style) => style.green('✓'),
  failed: (style: Style) => style.red('✗'),
  error: (style: Style) => style.red('✗'),
  skipped: (style: Style) => style.dim('–'),
} as const;

const latency = (ms: number | undefined) => (ms === undefined ? '' : `${Math.round(ms)} ms`);

/**
 * One line per reference (✓/✗, reference, latency, message), the hint under the message, and
 * a closing count. `style` may be a `Style` or just whether to colour.
 */
export function renderDoctorReport(results: readonly DoctorRow[], style: Style | boolean = false): string {
  if (results.length === 0) return 'No connections to check';
  const s = typeof style === 'boolean' ? createStyle(style) : style;
  // Latencies right-aligned, so their digits line up.
  const latencyWidth = Math.max(0, ...results.map((result) => latency(result.latencyMs).length));
  const rows = results.map((result) => {
    const message =
      result.code && result.status !== 'ok' ? `${result.code}: ${result.message}` : result.message;
    const hint = result.hint && result.status !== 'ok' ? `\n${s.yellow('hint:')} ${result.hint}` : '';
    const warnings = (result.warnings ?? []).map((warning) => `\n${s.yellow('warning:')} ${warning}`);
    return [
      SYMBOLS[result.status](s),
      s.bold(result.reference),
      latency(result.latencyMs).padStart(latencyWidth),
      `${message}${hint}${warnings.join('')}`,
    ];
  });
  return [...renderTable(rows, '  '), '', summaryLine(results, s)].join('\n');
}

function summaryLine(results: readonly DoctorRow[], style: Style): string {
  const count = (status: DoctorRow['status']) => results.filter((result) => result.status === status).length;
  const problems = count('failed') + count('error');
  const parts = [
    style.green(`${count('ok')} ok`),
    problems > 0 ? style.red(`${problems} failed`) : `${problems} failed`,
    ...(count('skipped') > 0 ? [`${count('skipped')} skipped`] : []),
  ];
  return parts.join(', ');
}
