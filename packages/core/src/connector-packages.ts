/** First-party packages whose name is not `@osiris/connector-<family>`. */
const FIRST_PARTY: Readonly<Record<string, string>> = { filesystem: '@osiris/connector-fs' };

/** The packages that may hold a family's plugin, in the order they are tried. */
export function connectorPackages(family: string): string[] {
  return [FIRST_PARTY[family] ?? `@osiris/connector-${family}`, `osiris-connector-${family}`];
}

/** The command that installs a family's first-choice package. */
export function installCommand(family: string): string {
  return `pnpm add ${connectorPackages(family)[0]}`;
}
