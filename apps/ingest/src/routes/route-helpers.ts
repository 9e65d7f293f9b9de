import type { Context } from 'hono';
import type { ZodError } from 'zod';
import {
  PROBLEM_CONTENT_TYPE,
  PROBLEM_STATUS,
  problemSchema,
  type ProblemCode,
} from '@herald/contracts';
import { ApiError } from '../errors/api-error';
import { PROBLEM_TITLES } from '../errors/problem';
import { fieldErrors } from '../errors/zod-issues';

/** Name of the bearer security scheme in the OpenAPI document. */
export const BEARER_AUTH = 'bearerAuth';
export const SECURED = [{ [BEARER_AUTH]: [] }];

/** The error responses of an operation, grouped by status, each code with its meaning. */
export function problemResponses(codes: readonly ProblemCode[]) {
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes)
    byStatus.set(PROBLEM_STATUS[code], [...(byStatus.get(PROBLEM_STATUS[code]) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, group]) => [
      status,
      {
        description: group
          .map((code) => `\`${code}\`: ${PROBLEM_TITLES[code].meaning}`)
          .join('\n\n'),
        content: { [PROBLEM_CONTENT_TYPE]: { schema: problemSchema } },
      },
    ]),
  );
}

const POINTER_BASE: Record<string, string> = {
  json: '',
  query: '/query',
  param: '/path',
  header: '/headers',
};

/** The validation hook of every route: a 422 problem naming each offending field. */
export function validationHook(
  result: { success: boolean; error?: ZodError; target: string },
  _c: Context,
): void {
  if (result.success || !result.error) return;
  throw new ApiError('validation_failed', 'the request does not match the schema; see `errors`', {
    errors: fieldErrors(result.error, POINTER_BASE[result.target] ?? ''),
  });
}
