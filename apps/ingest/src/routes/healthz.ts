import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { IngestEnv } from '../deps';

export const healthzRoute = createRoute({
  method: 'get',
  path: '/healthz',
  operationId: 'healthz',
  tags: ['operations'],
  summary: 'Liveness: the process answers',
  responses: {
    200: {
      description: 'Alive.',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok') }) } },
    },
  },
});

export function registerHealthz(app: OpenAPIHono<IngestEnv>): void {
  app.openapi(healthzRoute, function healthz(c) {
    return c.json({ status: 'ok' as const }, 200);
  });
}
