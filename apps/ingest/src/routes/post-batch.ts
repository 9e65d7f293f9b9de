import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { batchInputSchema, batchResponseSchema, LIMITS } from '@herald/contracts';
import { continueTrace } from '@herald/observability';
import { acceptBatch } from '../accept/accept-batch';
import type { AppDeps, IngestEnv } from '../deps';
import { ApiError } from '../errors/api-error';
import { jsonBody } from '../middleware/json-body';
import { requireScope } from '../middleware/auth';
import { problemResponses, SECURED } from './route-helpers';

export const postBatchRoute = createRoute({
  method: 'post',
  path: '/v1/messages/batch',
  operationId: 'postMessageBatch',
  tags: ['messages'],
  summary: 'Send up to 100 messages',
  description: `Up to ${LIMITS.batchMaxMessages} messages and ${LIMITS.requestMaxBytes} bytes per request. Each entry is validated on its own and answered by index: \`accepted\` with its id, or \`rejected\` with a \`code\` (\`validation_failed\`: fix it; \`enqueue_failed\`: resend it when \`retryable\`). 202 when at least one entry was accepted; 422 when no entry is valid; 503 when the queue took none of them. Retry only the rejected, retryable entries. Idempotency-Key is not supported here (send such messages one by one). Needs the \`messages:write\` scope.`,
  security: SECURED,
  middleware: [requireScope('messages:write'), jsonBody(LIMITS.requestMaxBytes)] as const,
  request: {
    body: { required: true, content: { 'application/json': { schema: batchInputSchema } } },
  },
  responses: {
    202: {
      description: 'At least one message was enqueued durably; `results` answers every entry.',
      content: { 'application/json': { schema: batchResponseSchema } },
    },
    ...problemResponses([
      'bad_request',
      'malformed_json',
      'unauthorized',
      'forbidden',
      'payload_too_large',
      'unsupported_media_type',
      'validation_failed',
      'rate_limited',
      'service_unavailable',
      'overloaded',
    ]),
  },
});

export function registerPostBatch(app: OpenAPIHono<IngestEnv>, deps: AppDeps): void {
  app.openapi(postBatchRoute, async function postBatch(c) {
    if (c.req.header('idempotency-key') !== undefined) {
      throw new ApiError(
        'bad_request',
        'Idempotency-Key is not supported on batches; send such messages to POST /v1/messages',
      );
    }
    const { messages } = c.req.valid('json');
    const context = {
      tenant: c.var.principal.tenant,
      trace: continueTrace(c.req.header('traceparent'), c.req.header('tracestate')),
      acceptedAt: (deps.clock?.() ?? new Date()).toISOString(),
    };
    return c.json(await acceptBatch(deps, messages, context), 202);
  });
}
