import type { Context } from 'hono';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_STATUS,
  problemType,
  type Problem,
  type ProblemCode,
} from '@herald/contracts';
import type { FieldError } from './api-error';

/** Short human titles, and what each code means for a producer (shown in the API docs). */
export const PROBLEM_TITLES: Record<ProblemCode, { title: string; meaning: string }> = {
  bad_request: {
    title: 'Bad request',
    meaning: 'A header or parameter is malformed. Fix the request; do not retry it as is.',
  },
  malformed_json: {
    title: 'Malformed JSON',
    meaning: 'The body is empty, not UTF-8 or not JSON. Fix the request.',
  },
  unauthorized: {
    title: 'Unauthorized',
    meaning: 'Missing, unknown or revoked API key. Send `Authorization: Bearer <key>`.',
  },
  forbidden: {
    title: 'Forbidden',
    meaning: 'The key lacks the scope this operation needs (`messages:write` or `messages:read`).',
  },
  not_found: {
    title: 'Not found',
    meaning: 'No such resource for this key’s tenant (another tenant’s ids are 404 too).',
  },
  method_not_allowed: {
    title: 'Method not allowed',
    meaning: 'The path exists but not with this method.',
  },
  idempotency_conflict: {
    title: 'Idempotency conflict',
    meaning:
      'This Idempotency-Key was used in the last 24 h with a different payload. Use a new key.',
  },
  payload_too_large: {
    title: 'Payload too large',
    meaning: 'The request body exceeds the limit. Split it.',
  },
  unsupported_media_type: {
    title: 'Unsupported media type',
    meaning: 'Send `Content-Type: application/json` (UTF-8).',
  },
  validation_failed: {
    title: 'Validation failed',
    meaning: 'The body breaks the schema; `errors` lists every offending field.',
  },
  rate_limited: {
    title: 'Too many requests',
    meaning: 'The key’s rate limit is exhausted. Retry after `Retry-After` seconds.',
  },
  internal_error: {
    title: 'Internal error',
    meaning: 'A bug on our side. Retrying with an Idempotency-Key is safe.',
  },
  service_unavailable: {
    title: 'Service unavailable',
    meaning:
      'A dependency is unreachable or the service is draining; nothing was acknowledged. Retry after `Retry-After`.',
  },
  overloaded: {
    title: 'Overloaded',
    meaning:
      'This task has too much work in flight and sheds the request before reading it; nothing was acknowledged. Retry after `Retry-After`, with backoff.',
  },
};

export interface ProblemInput {
  readonly code: ProblemCode;
  readonly detail: string;
  readonly errors?: readonly FieldError[] | undefined;
  readonly headers?: Readonly<Record<string, string>>;
  readonly extensions?: Readonly<Record<string, unknown>>;
}

/** Writes an RFC 9457 problem document carrying the stable code and the request id. */
export function problemResponse(c: Context, input: ProblemInput): Response {
  const status = PROBLEM_STATUS[input.code];
  const requestId = typeof c.get('requestId') === 'string' ? String(c.get('requestId')) : '';
  const problem: Problem & Record<string, unknown> = {
    ...input.extensions,
    type: problemType(input.code),
    title: PROBLEM_TITLES[input.code].title,
    status,
    detail: input.detail,
    code: input.code,
    instance: c.req.path,
    requestId,
    ...(input.errors && input.errors.length > 0 ? { errors: [...input.errors] } : {}),
  };
  // c.body keeps the headers middleware already set (X-Request-Id, RateLimit).
  return c.body(JSON.stringify(problem), status as ContentfulStatusCode, {
    ...input.headers,
    'content-type': PROBLEM_CONTENT_TYPE,
    'cache-control': 'no-store',
  });
}
