import type { Problem, ProblemCode } from '@herald/contracts';

/** Failures that never reached an HTTP answer, or got one the client cannot read. */
export type ClientFailureCode = 'network_error' | 'timeout' | 'aborted' | 'invalid_response';

/** Every `code` a {@link HeraldApiError} can carry: the API's problem codes and the client's own. */
export type HeraldErrorCode = ProblemCode | ClientFailureCode;

export interface HeraldApiErrorInit {
  readonly code: HeraldErrorCode;
  /** HTTP status; 0 when no answer arrived (network failure, timeout, abort). */
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  /** The `X-Request-Id` of the answer, or the one the client sent when none arrived. */
  readonly requestId?: string | undefined;
  /** Every offending field of a `validation_failed` answer, as JSON pointers. */
  readonly errors?: Problem['errors'];
  /** The answer's `Retry-After`, in milliseconds, when it had one. */
  readonly retryAfterMs?: number | undefined;
  /** How many requests were made before giving up. */
  readonly attempts?: number;
  readonly cause?: unknown;
}

/**
 * The one error the client throws: an RFC 9457 problem document from the API (its `code`,
 * `status`, `title`, `detail` and request id), or a failure with no usable answer, with one of
 * the {@link ClientFailureCode}s and status 0.
 *
 * @example
 * try { await client.get(id); } catch (error) {
 *   if (error instanceof HeraldApiError && error.code === 'not_found') …
 * }
 */
export class HeraldApiError extends Error {
  override readonly name = 'HeraldApiError';
  readonly code: HeraldErrorCode;
  readonly status: number;
  readonly title: string;
  readonly detail: string;
  readonly requestId: string | undefined;
  readonly errors: Problem['errors'];
  readonly retryAfterMs: number | undefined;
  readonly attempts: number;

  constructor(init: HeraldApiErrorInit) {
    super(describe(init), { cause: init.cause });
    this.code = init.code;
    this.status = init.status;
    this.title = init.title;
    this.detail = init.detail;
    this.requestId = init.requestId;
    this.errors = init.errors;
    this.retryAfterMs = init.retryAfterMs;
    this.attempts = init.attempts ?? 1;
  }

  /** A copy that records how many attempts were made (the retry loop knows, the request not). */
  withAttempts(attempts: number): HeraldApiError {
    const { code, status, title, detail, requestId, errors, retryAfterMs, cause } = this;
    return new HeraldApiError({
      code,
      status,
      title,
      detail,
      requestId,
      errors,
      retryAfterMs,
      cause,
      attempts,
    });
  }
}

function describe(init: HeraldApiErrorInit): string {
  const status = init.status > 0 ? `${init.status} ` : '';
  const fields = init.errors?.length
    ? ` (${init.errors.map((error) => `${error.path}: ${error.message}`).join('; ')})`
    : '';
  const request = init.requestId ? ` [request ${init.requestId}]` : '';
  return `${status}${init.code}: ${init.detail}${fields}${request}`;
}
