import { inspect } from 'node:util';
import { type ErrorCategory, type ErrorCode, errorCodeEntry } from './error-catalogue.js';
import { redact, redactDeep } from './redaction.js';

export type { ErrorCategory } from './error-catalogue.js';

/** Everything a `ConnectorError` carries besides its message. */
export interface ConnectorErrorOptions {
  /** A catalogued code (core's `CORE_ERROR_CODES` or a connector's own), e.g. `MISSING_ENV`. */
  code: ErrorCode;
  /** Broad kind of failure; the catalogue's for the code unless given (then it must agree, see the catalogue test). */
  category?: ErrorCategory;
  /** What a person can do about it. */
  hint?: string;
  /** True when trying the same operation again may succeed; the catalogue's default for the code unless given. */
  retryable?: boolean;
  /** The `@family.alias` reference the error concerns. */
  reference?: string;
  /** The connections file (or other file) the error points into. */
  file?: string;
  /** 1-based line in `file`. */
  line?: number;
  /** 1-based column in `file`. */
  column?: number;
  /** Extra facts (redacted like the message). */
  details?: Record<string, unknown>;
  /** The underlying error; kept, but as a redacted copy. */
  cause?: unknown;
}

/** The one error type every Osiris package throws. Its text never contains a registered secret. */
export class ConnectorError extends Error {
  override readonly name = 'ConnectorError';
  readonly code: ErrorCode;
  readonly category: ErrorCategory;
  readonly hint: string | undefined;
  readonly retryable: boolean;
  readonly reference: string | undefined;
  readonly file: string | undefined;
  readonly line: number | undefined;
  readonly column: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(message: string, options: ConnectorErrorOptions) {
    super(redact(message), options.cause === undefined ? undefined : { cause: redactCause(options.cause) });
    const entry = errorCodeEntry(options.code);
    this.code = options.code;
    this.category = options.category ?? entry?.category ?? 'internal';
    this.hint = options.hint === undefined ? undefined : redact(options.hint);
    this.retryable = options.retryable ?? entry?.retryable ?? false;
    this.reference = options.reference;
    this.file = options.file;
    this.line = options.line;
    this.column = options.column;
    this.details = options.details === undefined ? undefined : redactDeep(options.details);
    const stack = this.stack;
    // The stack header was formatted from the message; re-read it through the redactor on every access.
    Object.defineProperty(this, 'stack', {
      configurable: true,
      enumerable: false,
      get: () => (stack === undefined ? undefined : redact(stack)),
    });
  }

  /** `file:line:col` when the error points into a file. */
  get location(): string | undefined {
    if (this.file === undefined) return undefined;
    return [this.file, this.line, this.column].filter((part) => part !== undefined).join(':');
  }

  /** A copy of the error with `reference` set (errors are created deep down, the reference is known higher up). */
  withReference(reference: string): ConnectorError {
    if (this.reference === reference) return this;
    return new ConnectorError(this.message, { ...this.options(), reference });
  }

  toJSON(): Record<string, unknown> {
    return redactDeep({
      name: this.name,
      code: this.code,
      category: this.category,
      message: this.message,
      hint: this.hint,
      retryable: this.retryable,
      reference: this.reference,
      location: this.location,
      details: this.details,
      cause: describeCause(this.cause),
    });
  }

  [inspect.custom](_depth: number, options: object): string {
    return redact(`${this.stack ?? this.message}\n${inspect(this.toJSON(), options as never)}`);
  }

  private options(): ConnectorErrorOptions {
    return {
      code: this.code,
      category: this.category,
      hint: this.hint,
      retryable: this.retryable,
      reference: this.reference,
      file: this.file,
      line: this.line,
      column: this.column,
      details: this.details,
      cause: this.cause,
    };
  }
}

/** True for a `ConnectorError`, also one from another copy of `@osiris/core`. */
export function isConnectorError(value: unknown): value is ConnectorError {
  return (
    value instanceof ConnectorError ||
    (value instanceof Error && value.name === 'ConnectorError' && 'category' in value)
  );
}

/** Driver errors carry fields worth keeping (`code`, `errno`, `sqlState`…); strings among them are redacted. */
const KEPT_CAUSE_FIELDS = [
  'code',
  'errno',
  'sqlState',
  'sqlMessage',
  'status',
  'syscall',
  'address',
  'port',
  'hint',
  'details',
];

function redactCause(cause: unknown, depth = 0): unknown {
  if (isConnectorError(cause)) return cause;
  if (!(cause instanceof Error)) return typeof cause === 'string' ? redact(cause) : redactDeep(cause);
  const copy = new Error(redact(cause.message));
  copy.name = cause.name;
  copy.stack = cause.stack === undefined ? undefined : redact(cause.stack);
  for (const field of KEPT_CAUSE_FIELDS) {
    const value = (cause as unknown as Record<string, unknown>)[field];
    if (value !== undefined) (copy as unknown as Record<string, unknown>)[field] = redactDeep(value);
  }
  if (cause.cause !== undefined && depth < 8) copy.cause = redactCause(cause.cause, depth + 1);
  return copy;
}

function describeCause(cause: unknown): unknown {
  if (cause === undefined) return undefined;
  if (isConnectorError(cause)) return cause.toJSON();
  if (cause instanceof Error) {
    const fields = Object.fromEntries(
      KEPT_CAUSE_FIELDS.map((field) => [field, (cause as unknown as Record<string, unknown>)[field]]).filter(
        ([, value]) => value !== undefined,
      ),
    );
    return { name: cause.name, message: cause.message, ...fields, cause: describeCause(cause.cause) };
  }
  return cause;
}

/** Wraps anything thrown into a `ConnectorError`, keeping one that already is. */
export function toConnectorError(
  error: unknown,
  fallback: Omit<ConnectorErrorOptions, 'cause'> = { code: 'INTERNAL', category: 'internal' },
): ConnectorError {
  if (isConnectorError(error)) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ConnectorError(message, { ...fallback, cause: error });
}
