import type { MiddlewareHandler } from 'hono';
import type { IngestEnv } from '../deps';
import type { Lifecycle } from '../lifecycle';

/** One line per request: method, path, status, latency and tenant; never keys or bodies. */
export function accessLog(lifecycle: Lifecycle): MiddlewareHandler<IngestEnv> {
  return async function accessLogMiddleware(c, next) {
    const started = performance.now();
    await next();
    // While draining, ask keep-alive clients to reconnect (to another task). After next(), so a
    // request that began before the drain is told too; it rebuilds the response (see
    // security-headers.ts), a cost paid only while draining.
    if (lifecycle.draining) c.header('connection', 'close');
    const principal = c.get('principal') as IngestEnv['Variables']['principal'] | undefined;
    const status = c.res.status;
    // One flat object a request, written by the service logger (no child logger per request).
    const line: AccessLine = {
      requestId: c.var.requestId,
      method: c.req.method,
      path: c.req.path,
      status,
      latencyMs: Math.round((performance.now() - started) * 100) / 100,
    };
    if (principal) {
      line.tenant = principal.tenant;
      line.keyPrefix = principal.keyPrefix;
    }
    if (status >= 500) c.var.logger.error(line, 'request');
    else c.var.logger.info(line, 'request');
  };
}

interface AccessLine {
  requestId: string;
  method: string;
  path: string;
  status: number;
  latencyMs: number;
  tenant?: string;
  keyPrefix?: string;
}
