import { isConnectorError, redact } from '@osiris/core';
import type { CommandLine } from './args.js';
import type { CommandSpec } from './commands.js';
import { EXIT } from './exit-codes.js';
import type { Io } from './io.js';
import { createOutput, type Output } from './output/output.js';
import { printError } from './output/render-error.js';
import { UsageError, usageErrorFacts } from './usage-error.js';

/**
 * Loads and runs one command. From here on core is loaded, so every line printed goes through
 * its redactor, and a thrown error becomes a rendered error and an exit code instead of a stack.
 */
export async function runCommand(spec: CommandSpec, commandLine: CommandLine, io: Io): Promise<number> {
  const output = createOutput(io, { ...commandLine.global, scrub: redact });
  try {
    const command = await spec.load();
    return await command.run({ io, commandLine, output });
  } catch (error) {
    return reportError(error, spec, output, io);
  }
}

function reportError(error: unknown, spec: CommandSpec, output: Output, io: Io): number {
  if (error instanceof UsageError) {
    const usage = error.command === undefined ? new UsageError(error.message, spec.name) : error;
    printError(usageErrorFacts(usage), output, io.cwd);
    return EXIT.invalid;
  }
  if (isConnectorError(error)) {
    printError(error, output, io.cwd, error.toJSON());
    return error.category === 'config' ? EXIT.invalid : EXIT.failed;
  }
  // A bug, not a user mistake: keep the stack (redacted by the output) so it can be reported.
  const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
  printError({ code: 'INTERNAL', category: 'internal', message }, output, io.cwd);
  return EXIT.failed;
}
