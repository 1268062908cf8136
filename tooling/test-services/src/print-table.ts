/** The benches' report: one aligned text table on stdout, so every bench reads the same way. */

/** Prints `header` and `rows` as columns padded to their widest cell, with a rule under the header. */
export function printTable(header: readonly string[], rows: readonly (readonly string[])[]): void {
  const all = [header, ...rows];
  const widths = header.map((_, column) => Math.max(...all.map((row) => (row[column] ?? '').length)));
  process.stdout.write('\n');
  for (const [index, row] of all.entries()) {
    process.stdout.write(`${row.map((cell, column) => cell.padEnd(widths[column] as number)).join('  ')}\n`);
    if (index === 0) process.stdout.write(`${widths.map((width) => '-'.repeat(width)).join('  ')}\n`);
  }
}
