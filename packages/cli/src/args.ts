import { type ParseArgsConfig, parseArgs } from 'node:util';
import { COMMANDS, type CommandSpec, findCommand, GLOBAL_OPTIONS, type OptionSpec } from './commands.js';
import { UsageError } from './usage-error.js';

/** Options every command understands. */
export interface GlobalOptions {
  config: string | undefined;
  /** `--env-file` values in the order given (the first wins). */
  envFiles: string[];
  json: boolean;
  noColor: boolean;
  help: boolean;
  version: boolean;
}

/** The command line, parsed and checked against the command's spec. */
export interface CommandLine {
  /** Undefined when no command was given (then `help` or `version` may still be set). */
  command: CommandSpec | undefined;
  positionals: string[];
  /** The command's own options, as parseArgs returns them. */
  options: Record<string, string | boolean | string[] | undefined>;
  global: GlobalOptions;
}

type ParseOptions = NonNullable<ParseArgsConfig['options']>;

const toParseOptions = (specs: Record<string, OptionSpec>): ParseOptions =>
  Object.fromEntries(
    Object.entries(specs).map(([name, { type, short, multiple }]) => [
      name,
      { type, ...(short ? { short } : {}), ...(multiple ? { multiple } : {}) },
    ]),
  );

const EVERY_OPTION = toParseOptions(
  Object.assign({}, GLOBAL_OPTIONS, ...COMMANDS.map((command) => command.options)),
);

/**
 * Parses `argv` (without node and the script). Global options may come before or after the
 * command; `help <command>` is the same as `<command> --help`.
 */
export function parseCommandLine(argv: readonly string[]): CommandLine {
  const commandIndex = findCommandIndex(argv);
  const rest = [...argv];
  let name = commandIndex === undefined ? undefined : rest.splice(commandIndex, 1)[0];
  let forcedHelp = false;
  if (name === 'help') {
    forcedHelp = true;
    const next = findCommandIndex(rest);
    name = next === undefined ? undefined : rest.splice(next, 1)[0];
  }
  const command = name === undefined ? undefined : findCommand(name);
  if (name !== undefined && command === undefined) {
    throw new UsageError(
      `Unknown command "${name}". Commands: ${COMMANDS.map((known) => known.name).join(', ')}`,
    );
  }

  const parsed = strictParse(rest, command);
  const values = parsed.values as Record<string, string | boolean | string[] | undefined>;
  const global: GlobalOptions = {
    config: values.config as string | undefined,
    envFiles: (values['env-file'] as string[] | undefined) ?? [],
    json: values.json === true,
    noColor: values['no-color'] === true,
    help: forcedHelp || values.help === true,
    version: values.version === true,
  };
  const options = Object.fromEntries(
    Object.keys(command?.options ?? {}).map((option) => [option, values[option]]),
  );
  const commandLine = { command, positionals: parsed.positionals, options, global };
  if (command && !global.help && !global.version) checkPositionals(commandLine.positionals, command);
  return commandLine;
}

/** Index of the first positional argument, skipping the values of known options. */
function findCommandIndex(argv: readonly string[]): number | undefined {
  const { tokens } = parseArgs({
    args: [...argv],
    options: EVERY_OPTION,
    strict: false,
    allowPositionals: true,
    tokens: true,
  });
  return tokens.find((token) => token.kind === 'positional')?.index;
}

function strictParse(args: string[], command: CommandSpec | undefined) {
  try {
    return parseArgs({
      args,
      options: toParseOptions({ ...GLOBAL_OPTIONS, ...command?.options }),
      strict: true,
      allowPositionals: true,
    });
  } catch (error) {
    throw new UsageError(describeParseError(error as Error & { code?: string }), command?.name);
  }
}

function describeParseError(error: Error & { code?: string }): string {
  if (error.code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
    const option = /'([^']+)'/.exec(error.message)?.[1] ?? 'option';
    return `Unknown option ${option}`;
  }
  return error.message;
}

function checkPositionals(positionals: readonly string[], command: CommandSpec): void {
  const { min, max } = command.positionals;
  if (positionals.length < min) {
    throw new UsageError(`Missing argument: ${command.name} ${command.args}`, command.name);
  }
  if (positionals.length > max) {
    const extra = positionals.slice(max).join(' ');
    throw new UsageError(`Unexpected argument for ${command.name}: ${extra}`, command.name);
  }
}

/** Reads an option that must be a positive integer (`--timeout 2000`). */
export function positiveIntegerOption(
  value: string | boolean | string[] | undefined,
  option: string,
  command: string,
): number | undefined {
  if (value === undefined) return undefined;
  const text = String(value);
  if (!/^\d+$/.test(text) || Number(text) < 1 || !Number.isSafeInteger(Number(text))) {
    throw new UsageError(`--${option} takes a positive integer, got "${text}"`, command);
  }
  return Number(text);
}
