import type { Context, ErrorHandler, NotFoundHandler } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ProblemCode } from '@herald/contracts';
import type { IngestEnv } from '../deps';
import { ApiError, ClientAbortError, DependencyUnavailableError } from './api-error';
import { requestLogger } from '../middleware/request-id';
import { problemResponse } from './problem';

const HTTP_STATUS_CODES: Readonly<Record<number, ProblemCode>> = {
  400: 'bad_request',
  401: 'unauthorized',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  413: 'payload_too_large',
  415: 'unsupported_media_type',
  422: 'validation_failed',
  429: 'rate_limited',
  503: 'service_unavailable',
};

/**
 * The one error handler: ApiError as its problem document; a dependency failure as 503 with
 * Retry-After; Hono's own exceptions by status; anything else as a 500 that leaks nothing.
 */
export function onError(retryAfterSeconds: number): ErrorHandler<IngestEnv> {
  return function handleError(error, c) {
    if (error instanceof ApiError) {
      return problemResponse(c, {
        code: error.code,
        detail: error.detail,
        errors: error.errors,
        headers: error.headers,
        extensions: error.extensions,
      });
    }
    if (error instanceof DependencyUnavailableError) {
      logger(c).error({ err: error.cause, dependency: error.dependency }, 'dependency unavailable');
      return problemResponse(c, {
        code: 'service_unavailable',
        detail: `a dependency (${error.dependency}) is unavailable; retry later`,
        headers: { 'retry-after': String(retryAfterSeconds) },
      });
    }
    if (error instanceof ClientAbortError) {
      const cause = error.cause instanceof Error ? error.cause.message : String(error.cause);
      logger(c).info({ cause }, 'client aborted the request');
      return problemResponse(c, {
        code: 'bad_request',
        detail: 'the request body was not received in full',
      });
    }
    if (error instanceof HTTPException) {
      const code = HTTP_STATUS_CODES[error.status] ?? 'internal_error';
      if (code === 'internal_error') logger(c).error({ err: error }, 'unhandled HTTP exception');
      return problemResponse(c, {
        code,
        detail: error.status < 500 ? error.message || code : 'internal error',
      });
    }
    logger(c).error({ err: error }, 'unhandled error');
    return problemResponse(c, {
      code: 'internal_error',
      detail: 'an internal error occurred; it has been logged',
    });
  };
}

/** A registered route: its method and path pattern (`{param}` or `:param` segments). */
export interface RouteShape {
  readonly method: string;
  readonly path: string;
}

/**
 * Unknown paths answer a 404 problem document like every other error; a known path with another
 * method answers 405 with `Allow` (HEAD wherever GET is, as Hono serves it).
 */
export function notFound(
  routes: () => readonly RouteShape[] = () => [],
): NotFoundHandler<IngestEnv> {
  let patterns: { method: string; pattern: RegExp }[] | undefined;
  return function handleNotFound(c) {
    patterns ??= routes()
      .filter((route) => route.method !== 'ALL' && !route.path.includes('*'))
      .map((route) => ({ method: route.method, pattern: pathPattern(route.path) }));
    const methods = new Set(
      patterns.filter((route) => route.pattern.test(c.req.path)).map((route) => route.method),
    );
    if (methods.has('GET')) methods.add('HEAD');
    if (methods.size > 0 && !methods.has(c.req.method)) {
      const allow = [...methods].sort((a, b) => ORDER.indexOf(a) - ORDER.indexOf(b)).join(', ');
      return problemResponse(c, {
        code: 'method_not_allowed',
        detail: `${c.req.method} is not allowed on ${c.req.path}; use ${allow}`,
        headers: { allow },
      });
    }
    return problemResponse(c, {
      code: 'not_found',
      detail: `no route for ${c.req.method} ${c.req.path}`,
    });
  };
}

const ORDER = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'];

function pathPattern(path: string): RegExp {
  const source = path
    .split('/')
    .map((segment) =>
      /^(\{[^}]+\}|:.+)$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
    )
    .join('/');
  return new RegExp(`^${source}/?$`);
}

function logger(c: Context<IngestEnv>) {
  return requestLogger(c);
}
