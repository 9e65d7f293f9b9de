import { hashApiKey, type ActiveApiKey } from '@herald/db';
import { DependencyUnavailableError } from '../errors/api-error';
import { LruCache } from './lru-cache';
import type { ApiKeyVerifier, Principal } from './principal';

export interface CachedApiKeyVerifierOptions {
  /**
   * Finds the active key with this SHA-256 hash (PostgreSQL through the read-only role). Its
   * failures become a `DependencyUnavailableError('postgres')` here, once.
   */
  readonly lookup: (secretHash: string) => Promise<ActiveApiKey | undefined>;
  /** How long a found key is trusted: a revocation takes effect within this time. */
  readonly ttlMs: number;
  /** How long an unknown key stays unknown (a key created meanwhile waits this long). */
  readonly negativeTtlMs: number;
  readonly maxEntries: number;
  readonly now?: () => number;
}

interface Entry {
  readonly expiresAt: number;
  readonly principal: Promise<Principal | undefined>;
}

/**
 * Verifies bearer secrets by hash against the key store, caching answers briefly in a bounded
 * LRU so a busy producer costs one database lookup per TTL. Concurrent misses share one lookup;
 * a failed lookup is not cached.
 */
export class CachedApiKeyVerifier implements ApiKeyVerifier {
  readonly #cache: LruCache<string, Entry>;
  readonly #options: CachedApiKeyVerifierOptions;
  readonly #now: () => number;

  constructor(options: CachedApiKeyVerifierOptions) {
    this.#options = options;
    this.#cache = new LruCache(options.maxEntries);
    this.#now = options.now ?? (() => Date.now());
  }

  cached(secret: string): Promise<Principal | undefined> | undefined {
    return this.#fresh(hashApiKey(secret));
  }

  verify(secret: string): Promise<Principal | undefined> {
    const hash = hashApiKey(secret);
    const cached = this.#fresh(hash);
    if (cached) return cached;
    const now = this.#now();
    const principal = this.#lookup(hash).then((key) => {
      if (key === undefined) {
        this.#cache.set(hash, { expiresAt: this.#now() + this.#options.negativeTtlMs, principal });
        return undefined;
      }
      return { keyId: key.id, tenant: key.tenant, keyPrefix: key.prefix, scopes: key.scopes };
    });
    this.#cache.set(hash, { expiresAt: now + this.#options.ttlMs, principal });
    principal.catch(() => {
      if (this.#cache.get(hash)?.principal === principal) this.#cache.delete(hash);
    });
    return principal;
  }

  #fresh(hash: string): Promise<Principal | undefined> | undefined {
    const cached = this.#cache.get(hash);
    return cached && cached.expiresAt > this.#now() ? cached.principal : undefined;
  }

  async #lookup(hash: string): Promise<ActiveApiKey | undefined> {
    try {
      return await this.#options.lookup(hash);
    } catch (error) {
      throw new DependencyUnavailableError('postgres', { cause: error });
    }
  }
}
