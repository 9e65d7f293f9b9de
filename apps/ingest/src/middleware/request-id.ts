import { randomUUID } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import type { Logger } from '@herald/observability';
import type { IngestEnv } from '../deps';

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/**
 * Takes a well-formed `X-Request-Id` or makes one and echoes it. The service logger is handed on
 * as is: a child logger per request cost a bindings serialization on every request, for the few
 * lines besides the access line (which carries `requestId` itself); those use `requestLogger`.
 */
export function requestId(logger: Logger): MiddlewareHandler<IngestEnv> {
  return async function requestIdMiddleware(c, next) {
    const incoming = c.req.header('x-request-id');
    const id = incoming !== undefined && REQUEST_ID.test(incoming) ? incoming : randomUUID();
    c.set('requestId', id);
    c.set('logger', logger);
    c.header('x-request-id', id);
    await next();
  };
}

/** A logger whose lines carry this request's id (for lines other than the access line). */
export function requestLogger(c: Context<IngestEnv>): Logger {
  return c.var.logger.child({ requestId: c.var.requestId });
}
