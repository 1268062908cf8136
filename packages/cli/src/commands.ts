import type { CommandContext } from './command-context.js';

/** One option as `node:util` parseArgs takes it, plus what help prints about it. */
export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  multiple?: boolean;
  /** Placeholder shown in help (`<ms>`). */
  value?: string;
  description: string;
}

/** A command's module: loaded only when that command runs, so `--help` imports nothing heavy. */
export interface CommandModule {
  run(context: CommandContext): Promise<number>;
}

/** What the command line and the help text know about a command. */
export interface CommandSpec {
  name: string;
  /** Arguments as shown in help (`<ref>`, `[ref…]`). */
  args: string;
  summary: string;
  /** How many positional arguments it takes. */
  positionals: { min: number; max: number };
  options: Record<string, OptionSpec>;
  examples: readonly string[];
  load(): Promise<CommandModule>;
}

/** Options every command accepts. */
export const GLOBAL_OPTIONS: Record<string, OptionSpec> = {
  config: {
    type: 'string',
    short: 'c',
    value: '<file>',
    description: 'connections file (default: $OSIRIS_CONNECTIONS, $OSIRIS_HOME, ./ and its parents)',
  },
  'env-file': {
    type: 'string',
    multiple: true,
    value: '<file>',
    description:
      'read variables from this .env file; repeatable, the first file wins (never overrides a variable already set)',
  },
  json: { type: 'boolean', description: 'print JSON on stdout instead of text' },
  'no-color': { type: 'boolean', description: 'no colours (also when NO_COLOR is set)' },
  help: { type: 'boolean', short: 'h', description: 'show help' },
  version: { type: 'boolean', short: 'v', description: 'show the version' },
};

const positiveInteger = 'a positive integer';

export const COMMANDS: readonly CommandSpec[] = [
  {
    name: 'list',
    args: '',
    summary: 'every alias, its one-line summary and the variables it uses (set or not)',
    positionals: { min: 0, max: 0 },
    options: {},
    examples: ['osiris-connections list', 'osiris-connections list --json'],
    load: () => import('./commands/list.js'),
  },
  {
    name: 'show',
    args: '<ref>',
    summary: 'one resolved config, masked, with where each value came from',
    positionals: { min: 1, max: 1 },
    options: {},
    examples: ['osiris-connections show @mysql.default', 'osiris-connections show @supabase --json'],
    load: () => import('./commands/show.js'),
  },
  {
    name: 'doctor',
    args: '[ref…]',
    summary: 'check that connections answer; exit 1 when one does not',
    positionals: { min: 0, max: Number.POSITIVE_INFINITY },
    options: {
      family: {
        type: 'string',
        multiple: true,
        value: '<family>',
        description: 'only this family (repeatable)',
      },
      timeout: {
        type: 'string',
        value: '<ms>',
        description: `time limit per check (${positiveInteger}, default 5000)`,
      },
      concurrency: {
        type: 'string',
        value: '<n>',
        description: `checks run at once (${positiveInteger}, default 8)`,
      },
    },
    examples: [
      'osiris-connections doctor',
      'osiris-connections doctor @mysql.default @filesystem.out',
      'osiris-connections doctor --family mysql --timeout 2000 --json',
    ],
    load: () => import('./commands/doctor.js'),
  },
  {
    name: 'plugins',
    args: '',
    summary: 'connector packages installed for the families in use, with version and apiVersion',
    positionals: { min: 0, max: 0 },
    options: {},
    examples: ['osiris-connections plugins'],
    load: () => import('./commands/plugins.js'),
  },
  {
    name: 'schema',
    args: '<family>',
    summary: "a family's config as JSON Schema, for editors and validators",
    positionals: { min: 1, max: 1 },
    options: {},
    examples: ['osiris-connections schema mysql > mysql.schema.json'],
    load: () => import('./commands/schema.js'),
  },
];

export function findCommand(name: string): CommandSpec | undefined {
  return COMMANDS.find((command) => command.name === name);
}
