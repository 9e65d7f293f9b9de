import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import type { AppDeps, IngestEnv } from '../deps';
import { ApiError } from '../errors/api-error';
import { problemResponses } from './route-helpers';

const checksSchema = z.record(z.string(), z.enum(['ok', 'failed']));

export const readyzRoute = createRoute({
  method: 'get',
  path: '/readyz',
  operationId: 'readyz',
  tags: ['operations'],
  summary: 'Readiness: dependencies reachable and not draining',
  description:
    'Checks PostgreSQL (`select 1`), SQS (GetQueueAttributes) and DynamoDB (GetItem), cached for a few seconds. 503 while any fails or while the task drains for shutdown.',
  responses: {
    200: {
      description: 'Ready.',
      content: {
        'application/json': {
          schema: z.object({ status: z.literal('ready'), checks: checksSchema }),
        },
      },
    },
    ...problemResponses(['service_unavailable']),
  },
});

export function registerReadyz(app: OpenAPIHono<IngestEnv>, deps: AppDeps): void {
  app.openapi(readyzRoute, async function readyz(c) {
    c.header('cache-control', 'no-store');
    if (deps.lifecycle.draining) {
      throw new ApiError('service_unavailable', 'draining for shutdown', {
        extensions: { draining: true, checks: {} },
      });
    }
    const report = await deps.readiness.report();
    if (!report.ready) {
      throw new ApiError('service_unavailable', 'a dependency is unreachable', {
        extensions: { draining: false, checks: report.checks },
      });
    }
    return c.json({ status: 'ready' as const, checks: { ...report.checks } }, 200);
  });
}
