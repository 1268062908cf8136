/** Mutated connections files for the fuzz tests of the loader (core) and of the CLI. */
import fc from 'fast-check';

/** Pieces that reach the loader's corners: YAML indicators, deep nesting, long runs, aliases. */
const piece = fc.oneof(
  fc.constantFrom(
    ':',
    ' ',
    '  ',
    '\n',
    '-',
    '[',
    ']',
    '{',
    '}',
    ',',
    '&a',
    '*a',
    '*base',
    '<<: ',
    '!!str ',
    '"',
    "'",
    '#',
    '|',
    '>',
    '?',
    '%',
    '@',
    '`',
    '\t',
    '${',
    '}',
    '$${',
    '://',
    'a@b',
    '\r\n',
    '\u0000',
    '\uFEFF',
  ),
  fc.string({ maxLength: 8 }),
  fc.nat({ max: 3000 }).map((n) => 'x'.repeat(n * 40)),
  fc.nat({ max: 200 }).map((n) => '['.repeat(n)),
  fc.nat({ max: 200 }).map((n) => Array.from({ length: n }, (_, i) => `${' '.repeat(i + 1)}k:\n`).join('')),
  fc.nat({ max: 1500 }).map((n) => '- *base\n'.repeat(n)),
);

/** `seed` (a connections file) with a few pieces inserted at, or written over, random places. */
export const mutatedConnectionsFile = (seed: string) =>
  fc.array(fc.tuple(fc.nat(), fc.nat({ max: 20 }), piece), { minLength: 1, maxLength: 6 }).map((edits) =>
    edits.reduce((text, [at, cut, inserted]) => {
      const position = at % (text.length + 1);
      return text.slice(0, position) + inserted + text.slice(position + cut);
    }, seed),
  );
