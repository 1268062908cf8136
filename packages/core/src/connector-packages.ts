/** Which npm packages hold a family's plugin, and the command that installs one. */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { Env } from './config/connections-file.js';

/** Families this project publishes, and their packages. */
const FIRST_PARTY: Readonly<Record<string, string>> = {
  filesystem: '@osiris/connector-fs',
  mysql: '@osiris/connector-mysql',
  postgres: '@osiris/connector-postgres',
  supabase: '@osiris/connector-supabase',
};

/** The packages that may hold a family's plugin, in the order they are tried. */
export function connectorPackages(family: string): string[] {
  const scoped = FIRST_PARTY[family] ?? `@osiris/connector-${family}`;
  return [scoped, `osiris-connector-${family}`];
}

/** Where the package manager in use is read from. */
export interface PackageManagerOptions {
  /** Directory whose nearest lockfile names the package manager (default `process.cwd()`). */
  cwd?: string;
  /** Environment whose `npm_config_user_agent` names it when no lockfile does (default `process.env`). */
  env?: Env;
}

type PackageManager = 'pnpm' | 'yarn' | 'bun' | 'npm';

const LOCKFILES: readonly [string, PackageManager][] = [
  ['pnpm-lock.yaml', 'pnpm'],
  ['yarn.lock', 'yarn'],
  ['bun.lock', 'bun'],
  ['bun.lockb', 'bun'],
  ['package-lock.json', 'npm'],
  ['npm-shrinkwrap.json', 'npm'],
];

/**
 * The project's package manager: the nearest lockfile's (it is the project's choice, whatever ran
 * this process), else the one running this process (`npm_config_user_agent`), else npm.
 */
export function detectPackageManager(options: PackageManagerOptions = {}): PackageManager {
  for (let dir = resolve(options.cwd ?? process.cwd()); ; dir = dirname(dir)) {
    const found = LOCKFILES.find(([file]) => existsSync(join(dir, file)));
    if (found !== undefined) return found[1];
    if (dirname(dir) === dir) break;
  }
  const agent = (options.env ?? process.env).npm_config_user_agent ?? '';
  const named = /^(pnpm|yarn|bun|npm)\//.exec(agent)?.[1] as PackageManager | undefined;
  return named ?? 'npm';
}

/** The command that adds `packageName` with the project's package manager (`npm install x`, `pnpm add x`). */
export function addCommand(packageName: string, options: PackageManagerOptions = {}): string {
  const manager = detectPackageManager(options);
  return `${manager === 'npm' ? 'npm install' : `${manager} add`} ${packageName}`;
}

/**
 * The command that installs a family's package: ours for a first-party family, else the
 * third-party name `osiris-connector-<family>` (nobody else publishes under `@osiris`).
 */
export function installCommand(family: string, options: PackageManagerOptions = {}): string {
  return addCommand(FIRST_PARTY[family] ?? `osiris-connector-${family}`, options);
}
