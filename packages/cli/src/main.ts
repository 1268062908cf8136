import { parseCommandLine } from './args.js';
import { EXIT } from './exit-codes.js';
import { commandHelp, generalHelp } from './help.js';
import { type Io, processIo } from './io.js';
import { createOutput } from './output/output.js';
import { printError } from './output/render-error.js';
import { UsageError, usageErrorFacts } from './usage-error.js';
import { cliVersion } from './version.js';

/**
 * Runs `osiris-connections` with `argv` (without node and the script) and returns the exit code.
 * Nothing heavier than node:util is loaded until a command actually runs.
 */
export async function main(argv: readonly string[], io: Io = processIo()): Promise<number> {
  let commandLine: ReturnType<typeof parseCommandLine>;
  try {
    commandLine = parseCommandLine(argv);
  } catch (error) {
    if (error instanceof UsageError) return reportUsageError(error, argv, io);
    throw error;
  }
  const { command, global } = commandLine;
  const output = createOutput(io, global);
  if (global.version) {
    if (global.json) output.printJson({ version: cliVersion() });
    else output.print(cliVersion());
    return EXIT.ok;
  }
  if (global.help) {
    output.print(command ? commandHelp(command) : generalHelp());
    return EXIT.ok;
  }
  if (command === undefined) {
    output.error(generalHelp());
    return EXIT.invalid;
  }
  const { runCommand } = await import('./run-command.js');
  return runCommand(command, commandLine, io);
}

function reportUsageError(error: UsageError, argv: readonly string[], io: Io): number {
  const output = createOutput(io, { json: argv.includes('--json'), noColor: argv.includes('--no-color') });
  printError(usageErrorFacts(error), output, io.cwd);
  return EXIT.invalid;
}
