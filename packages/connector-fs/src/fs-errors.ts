import { ConnectorError, type ErrorCategory, type ErrorCode, isConnectorError } from '@osiris/core';

/** How each system error code reads to a person, and what they can do about it. */
const SYSTEM_ERRORS: Record<string, { code: ErrorCode; category: ErrorCategory; hint: string }> = {
  ENOENT: {
    code: 'FILE_NOT_FOUND',
    category: 'not_found',
    hint: 'Check the path; it is relative to base_dir',
  },
  EACCES: {
    code: 'PERMISSION_DENIED',
    category: 'permission',
    hint: 'Check the permissions of the file and its directory',
  },
  EPERM: {
    code: 'PERMISSION_DENIED',
    category: 'permission',
    hint: 'Check the permissions of the file and its directory',
  },
  EROFS: {
    code: 'READ_ONLY_FILESYSTEM',
    category: 'read_only',
    hint: 'Point base_dir at a writable filesystem',
  },
  EISDIR: { code: 'IS_A_DIRECTORY', category: 'config', hint: 'Name a file, not a directory' },
  ENOTDIR: {
    code: 'NOT_A_DIRECTORY',
    category: 'config',
    hint: 'A part of the path is a file, not a directory',
  },
  ENOSPC: {
    code: 'DISK_FULL',
    category: 'internal',
    hint: 'Free some space on the disk that holds base_dir',
  },
  EDQUOT: { code: 'DISK_FULL', category: 'internal', hint: 'The disk quota is exhausted; free some space' },
  ENAMETOOLONG: { code: 'PATH_TOO_LONG', category: 'config', hint: 'Use a shorter file name' },
  ELOOP: { code: 'SYMLINK_LOOP', category: 'config', hint: 'Fix the symbolic links along the path' },
  EMFILE: {
    code: 'TOO_MANY_OPEN_FILES',
    category: 'internal',
    hint: 'Raise the open-file limit (ulimit -n)',
  },
};

/** Turns an error from `node:fs` into a `ConnectorError` naming what was attempted on which path. */
export function fsError(error: unknown, action: string, path: string): ConnectorError {
  if (isConnectorError(error)) return error;
  const systemCode = (error as NodeJS.ErrnoException | undefined)?.code;
  const known = systemCode === undefined ? undefined : SYSTEM_ERRORS[systemCode];
  const reason = error instanceof Error ? error.message : String(error);
  return new ConnectorError(`Cannot ${action} ${path}: ${reason}`, {
    code: known?.code ?? 'FS_ERROR',
    category: known?.category ?? 'internal',
    hint: known?.hint,
    retryable: systemCode === 'EMFILE' || systemCode === 'EBUSY' || systemCode === 'EAGAIN',
    file: path,
    cause: error,
  });
}

/** The error for a request or option a person got wrong. */
export function invalidRequest(message: string, hint: string): ConnectorError {
  return new ConnectorError(message, { code: 'REQUEST_INVALID', category: 'config', hint });
}
