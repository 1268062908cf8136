/**
 * What a Node socket or DNS error code means to a connector that reaches its server over the network: the same
 * code, category, hint and retry default whichever connector meets it.
 */
import type { ErrorCategory } from './errors.js';

/** How one socket error code is reported. */
export interface SocketErrorRule {
  /** The ConnectorError code. */
  code: 'CONNECTION_REFUSED' | 'HOST_NOT_FOUND' | 'HOST_UNREACHABLE';
  /** Its category. */
  category: ErrorCategory;
  /** What to check. */
  hint: string;
  /** Whether trying again may succeed. */
  retryable?: boolean;
}

const UNREACHABLE: SocketErrorRule = {
  code: 'HOST_UNREACHABLE',
  category: 'network',
  hint: 'Check the network route and firewall to the host',
  retryable: true,
};

/**
 * Socket and DNS error codes (`error.code`) that mean the server could not be reached. Timeouts and dropped
 * connections are left to each connector: what to raise (connect_timeout, a killed backend) is its own.
 */
export const SOCKET_ERROR_RULES: Readonly<Record<string, SocketErrorRule>> = {
  ECONNREFUSED: {
    code: 'CONNECTION_REFUSED',
    category: 'network',
    hint: 'Check host and port, and that the server is running and reachable from here',
    retryable: true,
  },
  ENOTFOUND: { code: 'HOST_NOT_FOUND', category: 'network', hint: 'Check the host name (DNS lookup failed)' },
  EAI_AGAIN: {
    code: 'HOST_NOT_FOUND',
    category: 'network',
    hint: 'DNS lookup failed temporarily; check the host name and network',
    retryable: true,
  },
  EHOSTUNREACH: UNREACHABLE,
  ENETUNREACH: UNREACHABLE,
};
