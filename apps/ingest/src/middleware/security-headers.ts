import type { MiddlewareHandler } from 'hono';
import type { IngestEnv } from '../deps';

const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * Headers every response carries: `X-Content-Type-Options: nosniff` (no browser may guess a
 * problem document or a message into HTML); `Cache-Control: private, no-store` under `/v1`
 * (messages and statuses are private to a tenant); HSTS when TLS terminated in front of the
 * service, which the ALB's HTTPS listener says with `X-Forwarded-Proto: https`.
 */
export function securityHeaders(): MiddlewareHandler<IngestEnv> {
  return async function securityHeadersMiddleware(c, next) {
    // Before next(): headers set once a response exists make Hono rebuild it around its body
    // stream: the undici Response, a ReadableStream and a copy of the headers per request.
    c.header('x-content-type-options', 'nosniff');
    if (c.req.path.startsWith('/v1/')) c.header('cache-control', 'private, no-store');
    if (c.req.header('x-forwarded-proto')?.trim().toLowerCase() === 'https')
      c.header('strict-transport-security', HSTS);
    await next();
  };
}
