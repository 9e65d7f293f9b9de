import { describe, expect, it } from 'vitest';
import { InvalidScopeError, parseScopes } from './scopes';
import {
  apiKeyPrefix,
  assertUsableSecret,
  generateApiKey,
  hashApiKey,
  hashesEqual,
} from './secret';

describe('generateApiKey', () => {
  it('makes distinct high-entropy keys with a recognisable marker and a short prefix', () => {
    const keys = Array.from({ length: 100 }, () => generateApiKey());
    expect(new Set(keys.map(({ key }) => key)).size).toBe(100);
    for (const { key, prefix } of keys) {
      expect(key).toMatch(/^hk_[A-Za-z0-9_-]{43}$/);
      expect(key.startsWith(prefix)).toBe(true);
      expect(prefix).toHaveLength(12);
    }
  });
});

describe('apiKeyPrefix', () => {
  it('never shows more than half of a short provisioned secret', () => {
    expect(apiKeyPrefix('abcdef')).toBe('abc');
    expect(apiKeyPrefix('hk_dev_0123456789abcdef')).toBe('hk_dev_0123');
    expect(apiKeyPrefix('hk_0123456789abcdefghijklmnop')).toBe('hk_012345678');
  });
});

describe('hashApiKey', () => {
  it('is the hex SHA-256 of the secret', () => {
    expect(hashApiKey('abc')).toBe(
      'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad',
    );
  });

  it('compares hashes in constant time and rejects mismatches', () => {
    const hash = hashApiKey('k1');
    expect(hashesEqual(hash, hashApiKey('k1'))).toBe(true);
    expect(hashesEqual(hash, hashApiKey('k2'))).toBe(false);
    expect(hashesEqual(hash, hash.slice(0, 10))).toBe(false);
    expect(hashesEqual('', '')).toBe(false);
  });
});

describe('assertUsableSecret', () => {
  it.each(['', 'has space', 'x'.repeat(257), 'é-non-ascii'])('rejects %j', (secret) => {
    expect(() => {
      assertUsableSecret(secret);
    }).toThrow(/printable ASCII/);
  });

  it('accepts a generated key', () => {
    expect(() => {
      assertUsableSecret(generateApiKey().key);
    }).not.toThrow();
  });
});

describe('parseScopes', () => {
  it('deduplicates and orders known scopes', () => {
    expect(parseScopes(['messages:read', ' messages:write', 'messages:read', ''])).toEqual([
      'messages:write',
      'messages:read',
    ]);
  });

  it('names an unknown scope', () => {
    expect(() => parseScopes(['messages:delete'])).toThrow(InvalidScopeError);
    expect(() => parseScopes(['messages:delete'])).toThrow(/unknown scope "messages:delete"/);
  });
});
