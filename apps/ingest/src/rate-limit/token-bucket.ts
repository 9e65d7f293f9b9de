import { LruCache } from '../auth/lru-cache';

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
  take(key: string): RateDecision;
}

export interface TokenBucketOptions {
  readonly ratePerSecond: number;
  readonly burst: number;
  /** Buckets kept (least recently used forgotten: a forgotten bucket starts full). */
  readonly maxKeys?: number;
  readonly now?: () => number;
}

interface Bucket {
  tokens: number;
  updatedAt: number;
}

/**
 * An in-memory token bucket per key. Each ingest task keeps its own buckets, so the limit a
 * producer sees across N tasks behind a load balancer is up to N times this one.
 */
export class TokenBucketRateLimiter implements RateLimiter {
  readonly #buckets: LruCache<string, Bucket>;
  readonly #rate: number;
  readonly #burst: number;
  readonly #now: () => number;

  constructor(options: TokenBucketOptions) {
    if (!(options.ratePerSecond > 0))
      throw new RangeError(`ratePerSecond must be > 0, got ${options.ratePerSecond}`);
    if (!(options.burst >= 1)) throw new RangeError(`burst must be ≥ 1, got ${options.burst}`);
    this.#rate = options.ratePerSecond;
    this.#burst = options.burst;
    this.#buckets = new LruCache(options.maxKeys ?? 100_000);
    this.#now = options.now ?? (() => performance.now());
  }

  take(key: string): RateDecision {
    const now = this.#now();
    const bucket = this.#buckets.get(key) ?? { tokens: this.#burst, updatedAt: now };
    bucket.tokens = Math.min(
      this.#burst,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.#rate,
    );
    bucket.updatedAt = now;
    const allowed = bucket.tokens >= 1;
    if (allowed) bucket.tokens -= 1;
    this.#buckets.set(key, bucket);
    return {
      allowed,
      limit: this.#burst,
      remaining: Math.floor(bucket.tokens),
      resetSeconds: Math.ceil((this.#burst - bucket.tokens) / this.#rate),
      retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - bucket.tokens) / this.#rate)),
      windowSeconds: Math.max(1, Math.ceil(this.#burst / this.#rate)),
    };
  }
}
