import type { CommandContext } from '../command-context.js';
import { connectorSearchPaths, loadFamily } from '../connector-loader.js';
import { EXIT } from '../exit-codes.js';

/** `schema <family>`: the family's config JSON Schema; always JSON, since that is what it is. */
export async function run({ commandLine, output, io }: CommandContext): Promise<number> {
  const [family] = commandLine.positionals as [string];
  const plugin = await loadFamily(family, connectorSearchPaths(commandLine.global.config, io.cwd));
  output.printJson(plugin.jsonSchema());
  return EXIT.ok;
}
