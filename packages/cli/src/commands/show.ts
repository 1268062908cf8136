import type { ValueOrigin } from '@osiris/core';
import type { CommandContext } from '../command-context.js';
import { EXIT } from '../exit-codes.js';
import { formatLocation } from '../output/render-error.js';
import { renderTable } from '../output/table.js';
import { openSession } from '../session.js';

/** `show <ref>`: the resolved config, masked, and where each value came from. */
export async function run(context: CommandContext): Promise<number> {
  const [reference] = context.commandLine.positionals as [string];
  const session = await openSession(context, [reference]);
  const failure = session.failures.values().next().value;
  if (failure) throw failure;
  const explained = session.resolver.explain(reference);
  const { output, io } = context;
  if (output.json) {
    output.printJson(explained);
    return EXIT.ok;
  }
  const { style } = output;
  output.print(
    `${style.bold(explained.reference)}  ${style.dim(formatLocation(explained.location, io.cwd) ?? '')}`,
  );
  const rows = explained.fields.map((origin) => [
    origin.field.slice(1).replaceAll('/', '.'),
    formatValue(origin.value),
    style.dim(describeOrigin(origin, io.cwd)),
    style.dim(origin.location ? formatLocation(origin.location, io.cwd)! : ''),
  ]);
  for (const line of renderTable(rows, '  ')) output.print(line);
  return EXIT.ok;
}

/** Strings as they are (an empty one as ""), anything else as JSON. */
const formatValue = (value: unknown) =>
  typeof value === 'string' && value !== '' ? value : JSON.stringify(value);

/** `file line 12`, `$MYSQL_HOST (environment)`, `default of ${MYSQL_PORT}`, `connector default`… */
function describeOrigin(origin: ValueOrigin, cwd: string): string {
  const variables = origin.variables.map((variable) =>
    variable.set
      ? `$${variable.name} from ${variableSource(variable.source, cwd)}`
      : `$${variable.name} not set`,
  );
  return {
    file: 'written in the file',
    env: variables.join(', '),
    default: `default (${variables.join(', ')})`,
    interpolated: `interpolated: ${variables.join(', ')}`,
    schema: 'connector default',
  }[origin.from];
}

const variableSource = (source: string | undefined, cwd: string) =>
  source === undefined || source === 'environment' ? 'environment' : formatLocation({ file: source }, cwd)!;
