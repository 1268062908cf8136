/** The error codes only the pipeline example raises (core's catalogue has the shared ones). */
import { type CodesOf, defineErrorCodes } from '@osiris/core';

export const PIPELINE_ERROR_CODES = defineErrorCodes('@osiris/example-pipeline', {
  PIPELINE_INVALID: {
    category: 'config',
    retryable: false,
    meaning: 'the pipeline file is not valid YAML or not a valid pipeline',
  },
  STEP_FAILED: {
    category: 'internal',
    retryable: false,
    meaning: 'a step failed with an unclassified error',
  },
});

declare module '@osiris/core' {
  interface ErrorCodeRegistry extends CodesOf<typeof PIPELINE_ERROR_CODES> {}
}
