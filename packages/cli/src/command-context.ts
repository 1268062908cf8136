import type { CommandLine } from './args.js';
import type { Io } from './io.js';
import type { Output } from './output/output.js';

/** What a command's `run` receives. */
export interface CommandContext {
  io: Io;
  commandLine: CommandLine;
  output: Output;
}
