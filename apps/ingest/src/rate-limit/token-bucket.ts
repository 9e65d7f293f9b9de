import { LruCache } from '../auth/lru-cache';
import type { RateDecision, RateLimiter } from './rate-limiter';

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
    return this.#decide(key, true);
  }

  peek(key: string): RateDecision {
    return this.#decide(key, false);
  }

  refund(key: string): void {
    const bucket = this.#buckets.get(key);
    if (bucket) bucket.tokens = Math.min(this.#burst, bucket.tokens + 1);
  }

  #decide(key: string, spend: boolean): RateDecision {
    const now = this.#now();
    const known = this.#buckets.get(key);
    const bucket = known ?? { tokens: this.#burst, updatedAt: now };
    bucket.tokens = Math.min(
      this.#burst,
      bucket.tokens + ((now - bucket.updatedAt) / 1000) * this.#rate,
    );
    bucket.updatedAt = now;
    const allowed = bucket.tokens >= 1;
    if (allowed && spend) bucket.tokens -= 1;
    // A peek at an unknown key leaves no bucket behind (it would only evict real ones).
    if (spend || known) this.#buckets.set(key, bucket);
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
