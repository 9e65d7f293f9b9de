export interface RateDecision {
  readonly allowed: boolean;
  /** Bucket size: the burst a key may send at once. */
  readonly limit: number;
  /** Tokens left after this request. */
  readonly remaining: number;
  /** Seconds until the bucket is full again (the RateLimit `t`). */
  readonly resetSeconds: number;
  /** Seconds until one token is back (for Retry-After when refused). */
  readonly retryAfterSeconds: number;
  /** Seconds the bucket takes to refill from empty (the RateLimit-Policy `w`). */
  readonly windowSeconds: number;
}

/** Decides whether a caller may make one more request now. */
export interface RateLimiter {
  /** Spends one token of `key`'s bucket when there is one. */
  take(key: string): RateDecision;
  /** The decision `take` would make, spending nothing. */
  peek(key: string): RateDecision;
  /** Gives back a token `take` spent (never above the burst): the request turned out free. */
  refund(key: string): void;
}
