import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import ts from 'typescript';
import { afterAll, beforeAll, expect, test } from 'vitest';

// As a new user would: the packed tarballs (not the workspace) in a fresh npm project, and the README
// example with its types stripped, run by plain Node (no loader, no bundler).
const run = promisify(execFile);
const packages = (name: string) => fileURLToPath(new URL(`../../${name}`, import.meta.url));

let project: string;
beforeAll(async () => {
  project = await mkdtemp(join(tmpdir(), 'osiris-packed-'));
}, 60_000);
afterAll(() => rm(project, { recursive: true, force: true }));

test('a fresh npm project installs core and connector-fs from packed tarballs and runs the README example', async () => {
  for (const name of ['core', 'connector-fs']) {
    await run('pnpm', ['pack', '--pack-destination', project], { cwd: packages(name) });
  }
  const tarballs = (await readdir(project))
    .filter((file) => file.endsWith('.tgz'))
    .map((file) => `./${file}`);
  expect(tarballs.sort()).toEqual(['./osiris-connector-fs-0.1.0.tgz', './osiris-core-0.1.0.tgz']);
  await writeFile(
    join(project, 'package.json'),
    JSON.stringify({ name: 'fresh', private: true, type: 'module' }),
  );
  await run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...tarballs, 'zod@^4'], {
    cwd: project,
  }).catch((error: Error & { stderr?: string }) => {
    throw new Error(
      `npm install from the tarballs failed (it needs the npm registry for zod, yaml): ${error.stderr ?? error.message}`,
    );
  });

  const readme = await readFile(new URL('../README.md', import.meta.url), 'utf8');
  const example = readme.slice(readme.indexOf('## Example'), readme.indexOf('## Config'));
  const yaml = /```yaml\n([\s\S]*?)```/.exec(example)?.[1] ?? '';
  const code = /```ts\n([\s\S]*?)```/.exec(example)?.[1] ?? '';
  const expected = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((match) => match[1]);
  // Type stripping only (ESNext): syntax Node does not parse stays in and fails the run.
  const { outputText } = ts.transpileModule(code, {
    compilerOptions: { target: ts.ScriptTarget.ESNext, module: ts.ModuleKind.ESNext },
  });
  await writeFile(join(project, 'osiris_connections.yaml'), yaml);
  await writeFile(join(project, 'example.mjs'), outputText);
  const { stdout } = await run(process.execPath, ['example.mjs'], {
    cwd: project,
    env: { PATH: process.env.PATH },
  });
  expect(expected).toHaveLength(7);
  expect(stdout.trimEnd().split('\n'), `on Node ${process.version}`).toEqual(expected);
}, 60_000);
