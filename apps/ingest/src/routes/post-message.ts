import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import {
  acceptedMessageSchema,
  IDEMPOTENCY_KEY_PATTERN,
  LIMITS,
  messageInputSchema,
} from '@herald/contracts';
import { continueTrace } from '@herald/observability';
import { acceptMessage } from '../accept/accept-message';
import type { AppDeps, IngestEnv } from '../deps';
import { jsonBody } from '../middleware/json-body';
import { requireScope } from '../middleware/auth';
import { problemResponses, SECURED } from './route-helpers';

export const idempotencyKeyHeaderSchema = z
  .string()
  .min(1)
  .max(LIMITS.idempotencyKeyMaxLength)
  .regex(IDEMPOTENCY_KEY_PATTERN, 'must be printable ASCII without spaces')
  .meta({
    description: `Makes retries safe for 24 h: the same key and payload return the same id (\`replayed: true\`); the same key with another payload is a 409. At most ${LIMITS.idempotencyKeyMaxLength} printable ASCII characters.`,
    example: 'order-42-created',
  });

export const postMessageRoute = createRoute({
  method: 'post',
  path: '/v1/messages',
  operationId: 'postMessage',
  tags: ['messages'],
  summary: 'Send one message',
  description: `Answers 202 only once SQS has durably accepted the message; anything else means it was not acknowledged. Needs the \`messages:write\` scope. The body is at most ${LIMITS.requestMaxBytes} bytes and the message body at most ${LIMITS.bodyMaxBytes} bytes. A W3C \`traceparent\` (and \`tracestate\`) header is continued into the queue; without one a new trace starts.`,
  security: SECURED,
  middleware: [requireScope('messages:write'), jsonBody(LIMITS.requestMaxBytes)] as const,
  request: {
    headers: z.object({ 'idempotency-key': idempotencyKeyHeaderSchema.optional() }),
    body: { required: true, content: { 'application/json': { schema: messageInputSchema } } },
  },
  responses: {
    202: {
      description:
        'Enqueued durably. `replayed` (and the header `Idempotent-Replayed: true`) marks the answer to a repeated Idempotency-Key.',
      content: { 'application/json': { schema: acceptedMessageSchema } },
    },
    ...problemResponses([
      'bad_request',
      'malformed_json',
      'unauthorized',
      'forbidden',
      'idempotency_conflict',
      'payload_too_large',
      'unsupported_media_type',
      'validation_failed',
      'rate_limited',
      'service_unavailable',
      'overloaded',
    ]),
  },
});

export function registerPostMessage(app: OpenAPIHono<IngestEnv>, deps: AppDeps): void {
  app.openapi(postMessageRoute, async function postMessage(c) {
    const input = c.req.valid('json');
    const idempotencyKey = c.req.valid('header')['idempotency-key'];
    const context = {
      tenant: c.var.principal.tenant,
      trace: continueTrace(c.req.header('traceparent'), c.req.header('tracestate')),
      acceptedAt: (deps.clock?.() ?? new Date()).toISOString(),
    };
    const accepted = await acceptMessage(deps, input, context, idempotencyKey);
    if (accepted.replayed) c.header('idempotent-replayed', 'true');
    return c.json(accepted, 202);
  });
}
