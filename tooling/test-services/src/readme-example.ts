import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { format } from 'node:util';

/** Which README example to run, and where. */
export interface ReadmeExampleOptions {
  /** The package's README.md. */
  readme: URL;
  /** Heading that starts the example's section. */
  section: string;
  /** Heading of the section after it. */
  nextSection: string;
  /** The test folder: the script is written there, so packages resolve as they do for a user. */
  testDir: URL;
  /** Working directory inside the temp folder holding the example's YAML (default: that folder). */
  cwd?: string;
  /** Variables set for the run and restored after it. */
  env?: Record<string, string>;
}

/** What the example printed, and what its `console.log(…); // comment` lines say it prints. */
export interface ReadmeExampleRun {
  printed: string[];
  expected: string[];
}

/**
 * Runs a README's example as written: its ```yaml block becomes osiris_connections.yaml in a temp
 * folder, its ```ts block runs with that folder as the working directory.
 */
export async function runReadmeExample(options: ReadmeExampleOptions): Promise<ReadmeExampleRun> {
  const readme = await readFile(options.readme, 'utf8');
  const example = readme.slice(readme.indexOf(options.section), readme.indexOf(options.nextSection));
  const yaml = /```yaml\n([\s\S]*?)```/.exec(example)?.[1];
  const code = /```ts\n([\s\S]*?)```/.exec(example)?.[1];
  if (yaml === undefined || code === undefined)
    throw new Error(`No yaml and ts blocks under "${options.section}"`);
  const expected = [...code.matchAll(/console\.log\(.*\); \/\/ (.*)$/gm)].map((match) => match[1] as string);

  const dir = await mkdtemp(join(tmpdir(), 'osiris-readme-'));
  await writeFile(join(dir, 'osiris_connections.yaml'), yaml);
  const cwd = join(dir, options.cwd ?? '.');
  await mkdir(cwd, { recursive: true });
  const script = new URL(`./readme-example-${process.pid}.generated.ts`, options.testDir);
  await writeFile(script, code);

  const printed: string[] = [];
  const log = console.log;
  const previousCwd = process.cwd();
  const previousEnv = Object.fromEntries(
    Object.keys(options.env ?? {}).map((name) => [name, process.env[name]]),
  );
  console.log = (...args: unknown[]) => printed.push(format(...args));
  Object.assign(process.env, options.env);
  process.chdir(cwd);
  try {
    await import(script.href);
  } finally {
    process.chdir(previousCwd);
    console.log = log;
    for (const [name, value] of Object.entries(previousEnv)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await rm(script);
    await rm(dir, { recursive: true, force: true });
  }
  return { printed, expected };
}
