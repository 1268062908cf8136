import { type ConfigWarning, type ConnectorError, type RawConnection, toConnectorError } from '@osiris/core';
import type { CommandContext } from '../command-context.js';
import { EXIT } from '../exit-codes.js';
import { renderTable } from '../output/table.js';
import { openSession, type Session } from '../session.js';

/** One alias as `list --json` prints it. */
interface ListedConnection {
  reference: string;
  family: string;
  alias: string;
  default: boolean;
  /** `user@host:port/db`, the URL, the base_dir… or why the alias does not resolve. */
  summary: string;
  /** As written: `${VAR}` placeholders kept, literal secrets masked. */
  config: Record<string, unknown>;
  /** Each variable the alias reads → whether it is set (never its value). */
  env: Record<string, boolean>;
  /** Things worth fixing that do not stop resolution (a secret written in the file…). */
  warnings: string[];
}

/** `list`: every alias per family, its summary, and the variables it reads. */
export async function run(context: CommandContext): Promise<number> {
  const session = await openSession(context);
  const listed = session.resolver.references().map((reference) => describe(session, reference));
  const { output } = context;
  if (output.json) {
    output.printJson({
      file: session.connections.path,
      connections: listed,
    });
    return EXIT.ok;
  }
  const { style } = output;
  output.print(style.dim(`# ${session.connections.path}`));
  for (const family of new Set(listed.map((connection) => connection.family))) {
    output.print(`\n${style.bold(family)}`);
    const rows = listed
      .filter((connection) => connection.family === family)
      .map((connection) => [
        `${connection.alias}${connection.default ? style.green(' (default)') : ''}`,
        [
          connection.summary,
          variablesLine(connection.env, style),
          ...connection.warnings.map((warning) => style.yellow(`warning: ${warning}`)),
        ]
          .filter((line) => line !== '')
          .join('\n'),
      ]);
    for (const line of renderTable(rows, '  ')) output.print(line);
  }
  return EXIT.ok;
}

function describe(session: Session, reference: string): ListedConnection {
  const raw = session.resolver.raw(reference);
  const { summary, warnings } = summarize(session, raw);
  return {
    reference: raw.reference,
    family: raw.family,
    alias: raw.alias,
    default: raw.isDefault,
    summary,
    config: raw.config,
    env: Object.fromEntries(raw.variables.map((variable) => [variable.name, variable.set])),
    warnings: [...raw.warnings, ...warnings].map((warning) => warning.message),
  };
}

/**
 * The connector's own one-liner for the resolved config and what resolving it warned about (fields
 * `validation: warn` ignored); when it does not resolve, the reason.
 */
function summarize(session: Session, raw: RawConnection): { summary: string; warnings: ConfigWarning[] } {
  const missing = session.failures.get(raw.family);
  if (missing)
    return { summary: `(connector not installed: ${missing.hint ?? missing.message})`, warnings: [] };
  try {
    const { config, warnings = [] } = session.resolver.resolve(raw.reference);
    return { summary: session.registry.get(raw.family).summarize?.(config) ?? '', warnings };
  } catch (error) {
    const problem: ConnectorError = toConnectorError(error);
    return { summary: `(unresolved: ${problem.code}: ${problem.message})`, warnings: [] };
  }
}

function variablesLine(env: Record<string, boolean>, style: CommandContext['output']['style']): string {
  return Object.entries(env)
    .map(([name, set]) => (set ? `${name} ${style.green('set')}` : `${name} ${style.red('not set')}`))
    .join(', ');
}
