import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { messageStatusResponseSchema, type MessageStatusResponse } from '@herald/contracts';
import type { AppDeps, IngestEnv } from '../deps';
import { ApiError } from '../errors/api-error';
import { requireScope } from '../middleware/auth';
import { problemResponses, SECURED } from './route-helpers';

export const getMessageRoute = createRoute({
  method: 'get',
  path: '/v1/messages/{id}',
  operationId: 'getMessage',
  tags: ['messages'],
  summary: 'Status of a message, and the message once stored',
  description:
    'The status the worker recorded (`stored`, `rejected` with a reason, `dead_lettered`) and, once stored, the message itself. Ingest records no status when it accepts a message, so an accepted message answers 404 until the worker has settled it (usually well under a second; longer under backlog). Another tenant’s id answers 404 too. Needs the `messages:read` scope.',
  security: SECURED,
  middleware: [requireScope('messages:read')] as const,
  request: {
    params: z.object({
      id: z.uuid().meta({
        description: 'The id returned by POST.',
        example: '01936f3e-7a2b-7c3d-8e4f-5a6b7c8d9e0f',
      }),
    }),
  },
  responses: {
    200: {
      description: 'The message’s status.',
      content: { 'application/json': { schema: messageStatusResponseSchema } },
    },
    ...problemResponses([
      'unauthorized',
      'forbidden',
      'not_found',
      'validation_failed',
      'rate_limited',
      'service_unavailable',
      'overloaded',
    ]),
  },
});

export function registerGetMessage(app: OpenAPIHono<IngestEnv>, deps: AppDeps): void {
  app.openapi(getMessageRoute, async function getMessage(c) {
    const { id } = c.req.valid('param');
    const { tenant } = c.var.principal;
    const status = await deps.statuses.get(tenant, id);
    // PostgreSQL is the truth: a row stored before the worker wrote its status is `stored`.
    const message =
      status === undefined || status.status === 'stored'
        ? await deps.messages.findById(tenant, id)
        : undefined;
    if (!status && !message)
      throw new ApiError(
        'not_found',
        'no such message (yet): statuses appear once the worker has settled a message',
      );
    const body: MessageStatusResponse = {
      id,
      status: status?.status ?? 'stored',
      ...(status?.reason === undefined ? {} : { reason: status.reason }),
      ...(status?.alerted === undefined ? {} : { alerted: status.alerted }),
      ...(message ? { message } : {}),
    };
    return c.json(body, 200);
  });
}
