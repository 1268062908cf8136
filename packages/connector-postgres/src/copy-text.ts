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
  // A scan from backslash to backslash: a regex replace with a callback costs several times more.
  let out = '';
  let from = 0;
  for (let at = field.indexOf('\\'); at !== -1; at = field.indexOf('\\', from)) {
    const char = field.charAt(at + 1);
    out += field.slice(from, at) + (UNESCAPES[char] ?? char);
    from = at + 2;
  }
  return out + field.slice(from);
}

/**
 * Splits the line of COPY text output at `text[start, end)` into its fields (null for `\N`). Lines are read in
 * place inside the decoded chunk, so no string is made per line.
 */
export function parseLine(text: string, start: number, end: number, into: Array<string | null>): void {
  let column = 0;
  for (let from = start; ; ) {
    const tab = text.indexOf('\t', from);
    const stop = tab === -1 || tab > end ? end : tab;
    const field = text.slice(from, stop);
    into[column++] = field === '\\N' ? null : field.includes('\\') ? unescapeField(field) : field;
    if (stop === end) break;
    from = stop + 1;
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
