import { describe, expect, it, vi } from 'vitest';
import { hashApiKey, type ActiveApiKey } from '@herald/db';
import { CachedApiKeyVerifier } from './cached-api-key-verifier';
import { DependencyUnavailableError } from '../errors/api-error';
import { LruCache } from './lru-cache';

const key: ActiveApiKey = {
  id: 'id-1',
  tenant: 'acme',
  name: 'ci',
  prefix: 'hk_abc',
  scopes: ['messages:write'],
};

function verifier(
  lookup: (hash: string) => Promise<ActiveApiKey | undefined>,
  now: () => number,
  maxEntries = 10,
) {
  return new CachedApiKeyVerifier({ lookup, ttlMs: 30_000, negativeTtlMs: 5_000, maxEntries, now });
}

describe('CachedApiKeyVerifier', () => {
  it('looks keys up by SHA-256 hash and caches the answer for the TTL', async () => {
    let now = 0;
    const lookup = vi.fn((hash: string) =>
      Promise.resolve(hash === hashApiKey('secret') ? key : undefined),
    );
    const keys = verifier(lookup, () => now);
    expect(await keys.verify('secret')).toEqual({
      keyId: 'id-1',
      tenant: 'acme',
      keyPrefix: 'hk_abc',
      scopes: ['messages:write'],
    });
    now = 29_999;
    await keys.verify('secret');
    expect(lookup).toHaveBeenCalledTimes(1);
    expect(lookup).toHaveBeenCalledWith(hashApiKey('secret'));
    now = 30_001;
    await keys.verify('secret');
    expect(lookup).toHaveBeenCalledTimes(2);
  });

  it('notices a revocation once the TTL has passed', async () => {
    let now = 0;
    let revoked = false;
    const keys = verifier(
      () => Promise.resolve(revoked ? undefined : key),
      () => now,
    );
    expect(await keys.verify('secret')).toBeDefined();
    revoked = true;
    expect(await keys.verify('secret')).toBeDefined();
    now = 30_001;
    expect(await keys.verify('secret')).toBeUndefined();
  });

  it('shares one lookup between concurrent misses', async () => {
    const lookup = vi.fn(
      () =>
        new Promise<ActiveApiKey>((resolve) =>
          setTimeout(() => {
            resolve(key);
          }, 5),
        ),
    );
    const keys = verifier(lookup, () => 0);
    await Promise.all(Array.from({ length: 20 }, () => keys.verify('secret')));
    expect(lookup).toHaveBeenCalledTimes(1);
  });

  it('caches unknown keys only briefly, and failed lookups not at all', async () => {
    let now = 0;
    let fail = true;
    const lookup = vi.fn(() =>
      fail ? Promise.reject(new Error('down')) : Promise.resolve(undefined),
    );
    const keys = verifier(lookup, () => now);
    // Wrapped here, once: the middleware passes it on as a 503.
    await expect(keys.verify('nope')).rejects.toThrow(DependencyUnavailableError);
    fail = false;
    expect(await keys.verify('nope')).toBeUndefined();
    expect(await keys.verify('nope')).toBeUndefined();
    expect(lookup).toHaveBeenCalledTimes(2);
    now = 5_001;
    await keys.verify('nope');
    expect(lookup).toHaveBeenCalledTimes(3);
  });
});

describe('LruCache', () => {
  it('forgets the least recently used entry when full', () => {
    const cache = new LruCache<string, number>(2);
    cache.set('a', 1);
    cache.set('b', 2);
    cache.get('a');
    cache.set('c', 3);
    expect([cache.get('a'), cache.get('b'), cache.get('c'), cache.size]).toEqual([
      1,
      undefined,
      3,
      2,
    ]);
  });
});
