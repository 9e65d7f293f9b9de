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
    const headers = {
      'ratelimit-policy': `"${POLICY}";q=${decision.limit};w=${decision.windowSeconds}`,
      ratelimit: `"${POLICY}";r=${decision.remaining};t=${decision.resetSeconds}`,
    };
    if (!decision.allowed) {
      throw new ApiError(
        'rate_limited',
        `rate limit exceeded for this key; retry in ${decision.retryAfterSeconds} s`,
        {
          headers: { ...headers, 'retry-after': String(decision.retryAfterSeconds) },
        },
      );
    }
    await next();
    for (const [name, value] of Object.entries(headers)) c.header(name, value);
  };
}
