import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

/** A throwaway directory holding a connections file and whatever else a test writes. */
export interface Workspace {
  dir: string;
  /** Absolute path of `name` inside the workspace. */
  path(name: string): string;
  /** Writes a file (creating its directories). */
  write(name: string, content: string): Promise<string>;
  remove(): Promise<void>;
}

export async function createWorkspace(
  files: Record<string, string> = {},
  parent = tmpdir(),
): Promise<Workspace> {
  const dir = await mkdtemp(join(parent, 'osiris-cli-'));
  const workspace: Workspace = {
    dir,
    path: (name) => join(dir, name),
    async write(name, content) {
      const file = join(dir, name);
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, content);
      return file;
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
  for (const [name, content] of Object.entries(files)) await workspace.write(name, content);
  return workspace;
}
