/**
 * COPY's text format, both ways: one row a line, fields split by tabs, `\N` for NULL, and backslash escapes
 * for the backslash itself and the control characters that would break a line or a field.
 */

/** `\x` escapes COPY TO writes, and the character each stands for. */
const UNESCAPES: Record<string, string> = {
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
  v: '\v',
  '\\': '\\',
};

/** A field's text with its escapes resolved (COPY TO only writes the single-letter ones and `\\`). */
function unescapeField(field: string): string {
  return field.replace(/\\(.)/gs, (_, char: string) => UNESCAPES[char] ?? char);
}

/** Splits one line of COPY text output into its fields (null for `\N`). */
export function parseLine(line: string, into: Array<string | null>): void {
  let start = 0;
  let column = 0;
  for (;;) {
    const tab = line.indexOf('\t', start);
    const end = tab === -1 ? line.length : tab;
    const field = line.slice(start, end);
    into[column++] = field === '\\N' ? null : field.includes('\\') ? unescapeField(field) : field;
    if (tab === -1) break;
    start = tab + 1;
  }
  into.length = column;
}

/** A field for COPY FROM's text format: the characters that end a field or a line, and the backslash, escaped. */
export function escapeField(text: string): string {
  // Four native passes beat one pass with a replacer callback.
  return text
    .replaceAll('\\', '\\\\')
    .replaceAll('\n', '\\n')
    .replaceAll('\r', '\\r')
    .replaceAll('\t', '\\t');
}

/** COPY text's NULL. */
export const NULL_FIELD = '\\N';
