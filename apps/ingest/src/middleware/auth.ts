import type { MiddlewareHandler } from 'hono';
import { API_KEY_MAX_LENGTH, API_KEY_PATTERN, type ApiKeyScope } from '@herald/db';
import type { IngestEnv } from '../deps';
import { ApiError, DependencyUnavailableError } from '../errors/api-error';
import type { ApiKeyVerifier } from '../auth/principal';

const BEARER = /^Bearer +(\S+) *$/i;
const CHALLENGE = { 'www-authenticate': 'Bearer realm="herald"' };

/** Resolves `Authorization: Bearer <key>` to the caller's principal, or answers 401. */
export function authenticate(keys: ApiKeyVerifier): MiddlewareHandler<IngestEnv> {
  return async function authenticateMiddleware(c, next) {
    const secret = BEARER.exec(c.req.header('authorization') ?? '')?.[1];
    if (secret === undefined) {
      throw new ApiError('unauthorized', 'send the API key as `Authorization: Bearer <key>`', {
        headers: CHALLENGE,
      });
    }
    if (secret.length > API_KEY_MAX_LENGTH || !API_KEY_PATTERN.test(secret)) {
      throw new ApiError('unauthorized', 'the API key is unknown or revoked', {
        headers: CHALLENGE,
      });
    }
    let principal;
    try {
      principal = await keys.verify(secret);
    } catch (error) {
      throw error instanceof DependencyUnavailableError
        ? error
        : new DependencyUnavailableError('postgres', { cause: error });
    }
    if (!principal)
      throw new ApiError('unauthorized', 'the API key is unknown or revoked', {
        headers: CHALLENGE,
      });
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
