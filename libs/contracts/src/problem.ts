import { z } from 'zod';

/** Every stable error code the API can answer with, and its HTTP status. */
export const PROBLEM_STATUS = {
  bad_request: 400,
  malformed_json: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  method_not_allowed: 405,
  idempotency_conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation_failed: 422,
  rate_limited: 429,
  internal_error: 500,
  service_unavailable: 503,
  overloaded: 503,
} as const;
export type ProblemCode = keyof typeof PROBLEM_STATUS;

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const problemSchema = z
  .object({
    type: z.string().meta({ description: 'A URI naming the problem type.' }),
    title: z.string(),
    status: z.int(),
    detail: z.string(),
    code: z.enum(Object.keys(PROBLEM_STATUS) as [ProblemCode, ...ProblemCode[]]),
    instance: z.string().optional(),
    requestId: z.string(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .meta({ description: 'For validation failures: every offending field, as a JSON pointer.' }),
  })
  .meta({ id: 'Problem' });
export type Problem = z.infer<typeof problemSchema>;

/** The `type` URI of a code (documented in the API docs). */
export function problemType(code: ProblemCode): string {
  return `https://herald.dev/problems/${code.replaceAll('_', '-')}`;
}
