import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/** Every generated key starts with this, so leaked keys are easy to recognise (secret scanners). */
export const API_KEY_MARKER = 'hk_';
/** Characters of a key kept in clear (`prefix`) so humans can tell keys apart. */
export const API_KEY_PREFIX_LENGTH = 12;
/** Longest secret accepted anywhere (the Authorization header is bounded too). */
export const API_KEY_MAX_LENGTH = 256;
/** Printable ASCII without spaces: what a bearer token may carry unambiguously. */
export const API_KEY_PATTERN = /^[\x21-\x7E]+$/;

/** Thrown when a secret is not a usable API key (empty, too long, spaces or non-ASCII). */
export class InvalidApiKeySecretError extends Error {
  override readonly name = 'InvalidApiKeySecretError';
}

/**
 * A new high-entropy key (256 random bits, base64url) and its display prefix.
 * @example const { key, prefix } = generateApiKey(); // key: "hk_…" (43 random characters)
 */
export function generateApiKey(): { key: string; prefix: string } {
  const key = `${API_KEY_MARKER}${randomBytes(32).toString('base64url')}`;
  return { key, prefix: apiKeyPrefix(key) };
}

/** The part of a key shown to humans (lists, logs). Never enough to authenticate. */
export function apiKeyPrefix(secret: string): string {
  // Short secrets (provisioned dev keys) keep at most half of themselves in clear.
  return secret.slice(0, Math.min(API_KEY_PREFIX_LENGTH, Math.floor(secret.length / 2)));
}

/**
 * SHA-256 of a key, hex. A plain fast hash is right for high-entropy random keys: there is
 * nothing to brute-force, and lookups stay one index probe.
 */
export function hashApiKey(secret: string): string {
  return createHash('sha256').update(secret, 'utf8').digest('hex');
}

/** Compares two hex hashes in constant time (length mismatch is not secret). */
export function hashesEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, 'hex');
  const right = Buffer.from(b, 'hex');
  return left.length === right.length && left.length > 0 && timingSafeEqual(left, right);
}

/** Throws unless `secret` could be sent as a bearer token. */
export function assertUsableSecret(secret: string): void {
  if (secret.length === 0 || secret.length > API_KEY_MAX_LENGTH || !API_KEY_PATTERN.test(secret)) {
    throw new InvalidApiKeySecretError(
      `an API key must be 1-${API_KEY_MAX_LENGTH} printable ASCII characters without spaces`,
    );
  }
}
