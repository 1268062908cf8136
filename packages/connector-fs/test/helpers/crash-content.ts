/** Bytes of version `version` of the crash-test file: a header naming it, then a payload only it has. */
export function crashContent(version: number, size: number): string {
  const header = `version ${version}\n`;
  const line = `${String(version).padStart(8, '0')} ${'abcdefghijklmnopqrstuvwxyz'.repeat(2)}\n`;
  return `${header}${line.repeat(Math.ceil(size / line.length))}end of version ${version}\n`;
}

/** The version a complete crash-test file holds, or undefined when the text is not one complete version. */
export function completeVersion(text: string, size: number): number | undefined {
  const match = /^version (\d+)\n/.exec(text);
  if (match === null) return undefined;
  const version = Number(match[1]);
  return text === crashContent(version, size) ? version : undefined;
}
