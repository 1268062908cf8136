/** The error codes only the PostgreSQL connector raises (core's catalogue has the shared ones). */
import { type CodesOf, defineErrorCodes } from '@osiris/core';

export const POSTGRES_ERROR_CODES = defineErrorCodes('@osiris/connector-postgres', {
  SQL_INVALID: {
    category: 'config',
    retryable: false,
    meaning: 'the server parsed the SQL but refused it as written (SQLSTATE class 42, not a syntax error)',
  },
  MULTIPLE_STATEMENTS: {
    category: 'config',
    retryable: false,
    meaning: 'a read was given more than one statement',
  },
  FUNCTION_NOT_FOUND: {
    category: 'not_found',
    retryable: false,
    meaning: 'no function of that name takes these argument types',
  },
  SERVER_STARTING: {
    category: 'network',
    retryable: true,
    meaning: 'the server is starting up or shutting down',
  },
  SERVER_RESOURCES: {
    category: 'internal',
    retryable: true,
    meaning: 'the server ran out of a resource (disk, memory, connections)',
  },
});

declare module '@osiris/core' {
  interface ErrorCodeRegistry extends CodesOf<typeof POSTGRES_ERROR_CODES> {}
}
