import type { MiddlewareHandler } from 'hono';
import type { IngestEnv } from '../deps';
import type { Lifecycle } from '../lifecycle';

/** One line per request: method, path, status, latency and tenant; never keys or bodies. */
export function accessLog(lifecycle: Lifecycle): MiddlewareHandler<IngestEnv> {
  return async function accessLogMiddleware(c, next) {
    const started = performance.now();
    await next();
    // While draining, ask keep-alive clients to reconnect (to another task).
    if (lifecycle.draining) c.header('connection', 'close');
    const principal = c.get('principal') as IngestEnv['Variables']['principal'] | undefined;
    const status = c.res.status;
    const line = {
      method: c.req.method,
      path: c.req.path,
      status,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
      ...(principal ? { tenant: principal.tenant, keyPrefix: principal.keyPrefix } : {}),
    };
    const logger = c.get('logger');
    if (status >= 500) logger.error(line, 'request');
    else logger.info(line, 'request');
  };
}
