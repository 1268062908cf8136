/** The error codes only the filesystem connector raises (core's catalogue has the shared ones). */
import { type CodesOf, defineErrorCodes } from '@osiris/core';

export const FS_ERROR_CODES = defineErrorCodes('@osiris/connector-fs', {
  FILE_NOT_FOUND: { category: 'not_found', retryable: false, meaning: 'no file or directory at the path' },
  BASE_DIR_MISSING: {
    category: 'not_found',
    retryable: false,
    meaning: '`base_dir` does not exist (and `create_dirs` is off)',
  },
  PATH_OUTSIDE_BASE: {
    category: 'permission',
    retryable: false,
    meaning: 'a path (or a symbolic link along it) leads outside `base_dir`',
  },
  IS_A_DIRECTORY: { category: 'config', retryable: false, meaning: 'a file was named, a directory found' },
  NOT_A_DIRECTORY: {
    category: 'config',
    retryable: false,
    meaning: 'a part of the path (or `base_dir`) is a file, not a directory',
  },
  PATH_TOO_LONG: {
    category: 'config',
    retryable: false,
    meaning: 'the path is longer than the system allows',
  },
  SYMLINK_LOOP: {
    category: 'config',
    retryable: false,
    meaning: 'symbolic links along the path form a loop',
  },
  READ_ONLY_FILESYSTEM: {
    category: 'read_only',
    retryable: false,
    meaning: 'the filesystem holding `base_dir` is mounted read-only',
  },
  DISK_FULL: { category: 'internal', retryable: false, meaning: 'the disk (or the quota) is full' },
  TOO_MANY_OPEN_FILES: {
    category: 'internal',
    retryable: true,
    meaning: 'the process is at its open-file limit',
  },
  FS_ERROR: { category: 'internal', retryable: false, meaning: 'a filesystem error no other code describes' },
  BAD_LINE: {
    category: 'config',
    retryable: false,
    meaning: 'a CSV or JSON Lines line cannot be parsed (with `on_bad_lines: error`)',
  },
  DUPLICATE_COLUMN: { category: 'config', retryable: false, meaning: 'a CSV header names a column twice' },
  DESCRIPTOR_INVALID: {
    category: 'config',
    retryable: false,
    meaning: 'the table-schema descriptor beside a file is not valid JSON or not a valid schema',
  },
});

declare module '@osiris/core' {
  interface ErrorCodeRegistry extends CodesOf<typeof FS_ERROR_CODES> {}
}
