/** The error codes only the CLI raises (core's catalogue has the shared ones). */
import { type CodesOf, defineErrorCodes } from '@osiris/core';

export const CLI_ERROR_CODES = defineErrorCodes('@osiris/cli', {
  USAGE: {
    category: 'config',
    retryable: false,
    meaning: 'the command line is wrong: unknown command or option, missing argument',
  },
});

declare module '@osiris/core' {
  interface ErrorCodeRegistry extends CodesOf<typeof CLI_ERROR_CODES> {}
}
