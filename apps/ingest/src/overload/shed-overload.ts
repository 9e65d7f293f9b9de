import type { MiddlewareHandler } from 'hono';
import type { IngestEnv } from '../deps';
import { ApiError } from '../errors/api-error';
import type { OverloadShedder, ShedReason } from './overload-shedder';

const DETAIL: Record<ShedReason, string> = {
  in_flight: 'too many requests in flight on this task',
  event_loop_delay: 'this task is CPU-bound and answering late',
};

/**
 * Sheds a request the shedder does not admit with 503 `overloaded` and `Retry-After`, before
 * authentication (no key lookup) and before the body is read. Mount it on the API paths only:
 * health and readiness must answer whatever the load, or the load balancer would kill the task.
 */
export function shedOverload(
  shedder: OverloadShedder,
  retryAfterSeconds: number,
): MiddlewareHandler<IngestEnv> {
  return async function shedOverloadMiddleware(_c, next) {
    const admission = shedder.admit();
    if (!admission.admitted) {
      throw new ApiError(
        'overloaded',
        `${DETAIL[admission.reason]}; nothing was acknowledged, retry in ${retryAfterSeconds} s`,
        { headers: { 'retry-after': String(retryAfterSeconds) } },
      );
    }
    try {
      await next();
    } finally {
      admission.release();
    }
  };
}
