import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import ts from 'typescript';
import { expect, test } from 'vitest';

// The README tests run their examples through vitest's transform, which lowers syntax Node itself
// does not parse (`await using` on Node 20). This proves every example is plain Node syntax once
// its types are stripped.
const READMES = [
  'README.md',
  'examples/pipeline/README.md',
  ...['core', 'connector-fs', 'connector-mysql', 'connector-supabase', 'connector-testkit', 'cli'].map(
    (name) => `packages/${name}/README.md`,
  ),
];
const run = promisify(execFile);

test('every TypeScript example in a README parses on this Node.js once its types are stripped', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'osiris-readme-syntax-'));
  const failures: string[] = [];
  let checked = 0;
  try {
    for (const readme of READMES) {
      const text = await readFile(new URL(`../../../${readme}`, import.meta.url), 'utf8');
      for (const [index, match] of [...text.matchAll(/```ts\n([\s\S]*?)```/g)].entries()) {
        const { outputText } = ts.transpileModule(match[1] ?? '', {
          compilerOptions: { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext },
        });
        const file = join(dir, `example-${checked++}.mjs`);
        await writeFile(file, outputText);
        await run(process.execPath, ['--check', file]).catch((error: { stderr: string }) => {
          failures.push(
            `${readme}, example ${index + 1}:\n${error.stderr.split('\n').slice(0, 4).join('\n')}`,
          );
        });
      }
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
  expect(checked).toBeGreaterThan(10);
  expect(failures, `on Node ${process.version}`).toEqual([]);
}, 60_000);
