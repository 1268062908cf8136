/** A mistake on the command line (unknown option, missing argument…); exits 2 with the command's usage. */
export class UsageError extends Error {
  override readonly name = 'UsageError';

  constructor(
    message: string,
    /** The command whose usage to show, when known. */
    readonly command?: string,
  ) {
    super(message);
  }
}

/** How a usage error is shown: what was wrong and where to read the usage. */
export function usageErrorFacts(error: UsageError) {
  const command = error.command ? `${error.command} ` : '';
  return {
    code: 'USAGE',
    category: 'config',
    message: error.message,
    hint: `Run "osiris-connections ${command}--help" for usage`,
  };
}
