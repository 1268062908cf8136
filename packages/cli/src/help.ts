import { COMMANDS, type CommandSpec, GLOBAL_OPTIONS, type OptionSpec } from './commands.js';
import { renderTable } from './output/table.js';

const BIN = 'osiris-connections';

const EXIT_CODES =
  'Exit codes: 0 all good · 1 a connection failed · 2 invalid command line or connections file';

function optionRows(specs: Record<string, OptionSpec>): string[][] {
  return Object.entries(specs).map(([name, spec]) => [
    `${spec.short ? `-${spec.short}, ` : '    '}--${name}${spec.value ? ` ${spec.value}` : ''}`,
    spec.description,
  ]);
}

/** The top-level help. */
export function generalHelp(): string {
  return [
    `${BIN}: list, show and check the connections in osiris_connections.yaml`,
    '',
    `Usage: ${BIN} <command> [options]`,
    '',
    'Commands:',
    ...renderTable(
      [
        ...COMMANDS.map((command) => [`${command.name} ${command.args}`.trim(), command.summary]),
        ['help [command]', 'help for one command'],
      ],
      '  ',
    ),
    '',
    'Options (every command):',
    ...renderTable(optionRows(GLOBAL_OPTIONS), '  '),
    '',
    EXIT_CODES,
    `Run "${BIN} <command> --help" for a command's options and examples.`,
  ].join('\n');
}

/** Help for one command. */
export function commandHelp(command: CommandSpec): string {
  const own = optionRows(command.options);
  return [
    `Usage: ${BIN} ${command.name}${command.args ? ` ${command.args}` : ''} [options]`,
    '',
    command.summary,
    '',
    ...(own.length > 0 ? ['Options:', ...renderTable(own, '  '), ''] : []),
    'Options (every command):',
    ...renderTable(optionRows(GLOBAL_OPTIONS), '  '),
    '',
    'Examples:',
    ...command.examples.map((example) => `  ${example}`),
    '',
    EXIT_CODES,
  ].join('\n');
}
