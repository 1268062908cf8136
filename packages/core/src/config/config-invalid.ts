import type { SourceLocation } from '../contract/resolver.js';
import { ConnectorError } from '../errors.js';
import { formatLocation } from './connections-file.js';

/** `CONFIG_INVALID` for something wrong at `location` of the connections file. */
export function invalidConfig(
  location: SourceLocation,
  message: string,
  hint: string,
  reference?: string,
): ConnectorError {
  return new ConnectorError(`${formatLocation(location)}: ${message}`, {
    code: 'CONFIG_INVALID',
    category: 'config',
    hint,
    reference,
    ...location,
  });
}
