import { visibleWidth } from './style.js';

/**
 * Lays out rows as aligned columns separated by two spaces. A cell may hold several lines
 * (a message and its hint): the extra lines continue under that cell. The last column is not
 * padded, so long messages do not leave trailing spaces.
 */
export function renderTable(rows: readonly (readonly string[])[], indent = ''): string[] {
  const cells = rows.map((row) => row.map((cell) => cell.split('\n')));
  const widths: number[] = [];
  for (const row of cells) {
    row.forEach((lines, column) => {
      widths[column] = Math.max(widths[column] ?? 0, ...lines.map(visibleWidth));
    });
  }
  const output: string[] = [];
  for (const row of cells) {
    const height = Math.max(...row.map((lines) => lines.length));
    for (let line = 0; line < height; line++) {
      const parts = row.map((lines, column) => {
        const text = lines[line] ?? '';
        const isLast = column === row.length - 1;
        return isLast ? text : text + ' '.repeat((widths[column] ?? 0) - visibleWidth(text));
      });
      output.push(`${indent}${parts.join('  ')}`.trimEnd());
    }
  }
  return output;
}
