import type { MiddlewareHandler } from 'hono';
import type { IngestEnv } from '../deps';
import { ApiError } from '../errors/api-error';
import type { RateLimiter } from '../rate-limit/rate-limiter';

const POLICY = 'per-key';

/**
 * Spends one token of the caller key's bucket per request (a batch is one request) and says so
 * in `RateLimit-Policy` / `RateLimit` (draft-ietf-httpapi-ratelimit-headers); 429 when empty.
 */
export function rateLimit(limiter: RateLimiter): MiddlewareHandler<IngestEnv> {
  return async function rateLimitMiddleware(c, next) {
    const decision = limiter.take(c.var.principal.keyId);
    // Set before next(), so the route's response is built with them (see security-headers.ts).
    c.header('ratelimit-policy', `"${POLICY}";q=${decision.limit};w=${decision.windowSeconds}`);
    c.header('ratelimit', `"${POLICY}";r=${decision.remaining};t=${decision.resetSeconds}`);
    if (!decision.allowed) {
      throw new ApiError(
        'rate_limited',
        `rate limit exceeded for this key; retry in ${decision.retryAfterSeconds} s`,
        { headers: { 'retry-after': String(decision.retryAfterSeconds) } },
      );
    }
    await next();
  };
}
