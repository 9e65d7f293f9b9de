import type { MiddlewareHandler } from 'hono';
import { API_KEY_MAX_LENGTH, API_KEY_PATTERN, type ApiKeyScope } from '@herald/db';
import type { IngestEnv } from '../deps';
import { ApiError } from '../errors/api-error';
import type { ApiKeyVerifier, Principal } from '../auth/principal';
import type { RateLimiter } from '../rate-limit/rate-limiter';
import { clientAddress } from './client-address';

const BEARER = /^Bearer +(\S+) *$/i;
const CHALLENGE = { 'www-authenticate': 'Bearer realm="herald"' };

export interface AuthenticateOptions {
  readonly keys: ApiKeyVerifier;
  /** One token per lookup of a key not cached (so per failure at most), per client address. */
  readonly failures: RateLimiter;
  /** Proxies in front whose `X-Forwarded-For` entry is trusted (see `clientAddress`). */
  readonly trustedProxyHops: number;
}

/**
 * Resolves `Authorization: Bearer <key>` to the caller's principal, or answers 401. Each failed
 * lookup of a key not cached spends a token of the client address's budget; a client that has spent it
 * gets 429 for any key not already cached, without a lookup: guessed
 * or random keys then cost no database round trip (issue 9, defect 7), while cached valid keys
 * from the same address keep working.
 */
export function authenticate(options: AuthenticateOptions): MiddlewareHandler<IngestEnv> {
  const { keys, failures } = options;
  return async function authenticateMiddleware(c, next) {
    const secret = BEARER.exec(c.req.header('authorization') ?? '')?.[1];
    if (secret === undefined) {
      throw new ApiError('unauthorized', 'send the API key as `Authorization: Bearer <key>`', {
        headers: CHALLENGE,
      });
    }
    let principal: Principal | undefined;
    if (secret.length <= API_KEY_MAX_LENGTH && API_KEY_PATTERN.test(secret)) {
      const known = keys.cached(secret);
      if (known) {
        principal = await known;
      } else {
        // Spent before the lookup, so concurrent guesses cannot all pass one check, and given
        // back when the lookup was no failed authentication: a found key (cached afterwards, it
        // costs nothing more), or a key store that did not answer (503: during a PostgreSQL
        // outage every producer behind one address would otherwise be told 429).
        // The address only matters for a lookup: a cached key does not pay for finding it.
        const address = clientAddress(c, options.trustedProxyHops);
        const budget = failures.take(address);
        if (!budget.allowed) {
          throw new ApiError(
            'rate_limited',
            `too many failed authentications from this address; retry in ${budget.retryAfterSeconds} s`,
            { headers: { 'retry-after': String(budget.retryAfterSeconds) } },
          );
        }
        try {
          principal = await keys.verify(secret);
        } catch (error) {
          failures.refund(address);
          throw error;
        }
        if (principal) failures.refund(address);
      }
    }
    if (!principal) {
      throw new ApiError('unauthorized', 'the API key is unknown or revoked', {
        headers: CHALLENGE,
      });
    }
    c.set('principal', principal);
    await next();
  };
}

/** Answers 403 unless the caller's key carries `scope`. */
export function requireScope(scope: ApiKeyScope): MiddlewareHandler<IngestEnv> {
  return async function requireScopeMiddleware(c, next) {
    if (!c.var.principal.scopes.includes(scope)) {
      throw new ApiError('forbidden', `this operation needs an API key with the scope ${scope}`);
    }
    await next();
  };
}
