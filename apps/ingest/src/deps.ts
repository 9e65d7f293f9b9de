import type { Logger } from '@herald/observability';
import type { ApiKeyVerifier, Principal } from './auth/principal';
import type { IdempotencyStore } from './idempotency/idempotency-store';
import type { Lifecycle } from './lifecycle';
import type { MessageReader } from './messages/message-reader';
import type { MessageQueue } from './queue/message-queue';
import type { OverloadShedder } from './overload/overload-shedder';
import type { RateLimiter } from './rate-limit/rate-limiter';
import type { Readiness } from './readiness/readiness';
import type { MessageStatusStore } from './status/message-status-store';

/** Everything the HTTP app needs, built once in main.ts (or by tests, with fakes). */
export interface AppDeps {
  readonly logger: Logger;
  readonly queue: MessageQueue;
  readonly keys: ApiKeyVerifier;
  readonly idempotency: IdempotencyStore;
  readonly statuses: MessageStatusStore;
  readonly messages: MessageReader;
  readonly readiness: Readiness;
  readonly rateLimiter: RateLimiter;
  /** Failed authentications per client address (see `authenticate`). */
  readonly authFailures: RateLimiter;
  /** Proxies in front whose `X-Forwarded-For` entry names the client (1 behind the ALB). */
  readonly trustedProxyHops: number;
  readonly lifecycle: Lifecycle;
  /** Seconds a producer should wait after a 503. */
  readonly retryAfterSeconds: number;
  /** Bounds the API's work in flight (503 `overloaded`); absent, nothing is shed (unit tests). */
  readonly overload?: OverloadShedder;
  readonly clock?: () => Date;
}

/** Per-request values the middleware sets for the routes. */
export interface IngestEnv {
  Variables: {
    requestId: string;
    /** The service logger; `requestLogger(c)` for a line that carries the request id. */
    logger: Logger;
    principal: Principal;
  };
}
