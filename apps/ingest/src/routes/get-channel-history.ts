import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { z } from 'zod';
import { channelSchema, historyPageSchema, historyQuerySchema, LIMITS } from '@herald/contracts';
import type { AppDeps, IngestEnv } from '../deps';
import { ApiError } from '../errors/api-error';
import { decodeHistoryCursor, encodeHistoryCursor } from '../messages/history-cursor';
import { requireScope } from '../middleware/auth';
import { problemResponses, SECURED } from './route-helpers';

export const getChannelHistoryRoute = createRoute({
  method: 'get',
  path: '/v1/channels/{channel}/messages',
  operationId: 'getChannelHistory',
  tags: ['channels'],
  summary: 'A channel’s stored messages, newest first',
  description: `Keyset pagination on (acceptedAt desc, id desc): pass \`nextCursor\` back as \`cursor\` for the next page; \`nextCursor\` is null on the last page. At most ${LIMITS.historyPageMax} items per page (default ${LIMITS.historyPageDefault}). Cursors are opaque. Only stored messages appear. Needs the \`messages:read\` scope.`,
  security: SECURED,
  middleware: [requireScope('messages:read')] as const,
  request: {
    params: z.object({ channel: channelSchema }),
    query: historyQuerySchema,
  },
  responses: {
    200: {
      description: 'One page of the history.',
      content: { 'application/json': { schema: historyPageSchema } },
    },
    ...problemResponses([
      'unauthorized',
      'forbidden',
      'validation_failed',
      'rate_limited',
      'service_unavailable',
      'overloaded',
    ]),
  },
});

export function registerGetChannelHistory(app: OpenAPIHono<IngestEnv>, deps: AppDeps): void {
  app.openapi(getChannelHistoryRoute, async function getChannelHistory(c) {
    const { channel } = c.req.valid('param');
    const { limit, cursor } = c.req.valid('query');
    const after = cursor === undefined ? undefined : decodeHistoryCursor(cursor);
    if (cursor !== undefined && !after) {
      throw new ApiError('validation_failed', 'the cursor is not one this API issued', {
        errors: [
          { path: '/query/cursor', message: 'must be a nextCursor returned by this endpoint' },
        ],
      });
    }
    const rows = await deps.messages.history(c.var.principal.tenant, channel, {
      limit: limit + 1,
      ...(after ? { after } : {}),
    });
    const items = rows.slice(0, limit);
    const last = items.at(-1);
    const nextCursor =
      rows.length > limit && last
        ? encodeHistoryCursor({ acceptedAt: new Date(last.acceptedAt), id: last.id })
        : null;
    return c.json({ items, nextCursor }, 200);
  });
}
