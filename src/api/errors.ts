// Error codes modelled on gRPC's. Every error that crosses a boundary carries
// one of these codes and a message a person can act on.

export const ERROR_CODES = [
  'InvalidArgument',
  'NotFound',
  'AlreadyExists',
  'FailedPrecondition',
  'PermissionDenied',
  'Unauthenticated',
  'Unavailable',
  'DeadlineExceeded',
  'Cancelled',
  'ResourceExhausted',
  'Internal',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}

/** An error with a stable code; `message` is written for the operator who reads it. */
export class ShoalError extends Error {
  readonly code: ErrorCode;
  /** Optional machine-readable detail (for example the field that was invalid). */
  readonly detail: string | undefined;

  constructor(code: ErrorCode, message: string, detail?: string) {
    super(message);
    this.name = 'ShoalError';
    this.code = code;
    this.detail = detail;
  }
}

export function isShoalError(value: unknown): value is ShoalError {
  return value instanceof ShoalError;
}

/** Wrap anything thrown into a ShoalError; unknown failures become Internal. */
export function toShoalError(value: unknown): ShoalError {
  if (value instanceof ShoalError) return value;
  if (value instanceof Error) return new ShoalError('Internal', value.message);
  return new ShoalError('Internal', String(value));
}

/** Throw when an invariant does not hold: a bug, never an input error. */
export function invariant(condition: unknown, message: string): asserts condition {
  if (!condition) throw new Error(`invariant violated: ${message}`);
}

/** For the default branch of an exhaustive switch. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`unexpected ${what}: ${JSON.stringify(value)}`);
}
