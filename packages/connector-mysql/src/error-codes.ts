/** The error codes only the MySQL/MariaDB connector raises (core's catalogue has the shared ones). */
import { type CodesOf, defineErrorCodes } from '@osiris/core';

export const MYSQL_ERROR_CODES = defineErrorCodes('@osiris/connector-mysql', {
  AUTH_UNSUPPORTED: {
    category: 'auth',
    retryable: false,
    meaning: 'the server wants an authentication method the client lacks',
  },
  PACKET_TOO_LARGE: {
    category: 'config',
    retryable: false,
    meaning: "a statement or value exceeds the server's `max_allowed_packet`",
  },
  LOCAL_INFILE_DISABLED: {
    category: 'unsupported',
    retryable: false,
    meaning: "method 'load' on a server with `local_infile` off",
  },
  REPLACE_UNSUPPORTED: {
    category: 'unsupported',
    retryable: false,
    meaning: 'mode replace on a table the shadow-table swap cannot copy',
  },
  LOAD_REJECTED: {
    category: 'config',
    retryable: false,
    meaning: 'LOAD DATA skipped rows of a batch for a reason the server gave no error number for',
  },
});

declare module '@osiris/core' {
  interface ErrorCodeRegistry extends CodesOf<typeof MYSQL_ERROR_CODES> {}
}
