import { PROBLEM_STATUS, type ProblemCode } from '@herald/contracts';

/** One offending field: a JSON pointer into the request body (or `/query/…`, `/path/…`, `/headers/…`). */
export interface FieldError {
  readonly path: string;
  readonly message: string;
}

export interface ApiErrorOptions {
  readonly errors?: readonly FieldError[];
  readonly headers?: Readonly<Record<string, string>>;
  /** Extra RFC 9457 members (e.g. readiness checks). */
  readonly extensions?: Readonly<Record<string, unknown>>;
  readonly cause?: unknown;
}

/** The one error type routes throw; `onError` turns it into an RFC 9457 problem document. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  readonly status: number;
  readonly errors: readonly FieldError[] | undefined;
  readonly headers: Readonly<Record<string, string>>;
  readonly extensions: Readonly<Record<string, unknown>>;

  constructor(
    readonly code: ProblemCode,
    readonly detail: string,
    options: ApiErrorOptions = {},
  ) {
    super(detail, { cause: options.cause });
    this.status = PROBLEM_STATUS[code];
    this.errors = options.errors;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
  }
}

/** A dependency (PostgreSQL, DynamoDB, SQS) failed: the request may succeed later (503). */
export class DependencyUnavailableError extends Error {
  override readonly name = 'DependencyUnavailableError';

  constructor(
    readonly dependency: 'postgres' | 'dynamodb' | 'sqs',
    options: { cause?: unknown } = {},
  ) {
    super(`${dependency} is unavailable`, options);
  }
}

/**
 * The client went away (or its stream broke) before the request body arrived in full: not a
 * server error, so it is logged as a client abort and answered 400 (which nobody may read).
 */
export class ClientAbortError extends Error {
  override readonly name = 'ClientAbortError';

  constructor(options: { cause?: unknown } = {}) {
    super('the client aborted the request before its body arrived', options);
  }
}
