import type { ApiKeyScope } from '@herald/db';

/** Who is calling: resolved from the API key. Every read and write is confined to `tenant`. */
export interface Principal {
  readonly keyId: string;
  readonly tenant: string;
  /** Shown in logs instead of the key. */
  readonly keyPrefix: string;
  readonly scopes: readonly ApiKeyScope[];
}

/** Resolves a bearer secret to its principal; undefined for an unknown or revoked key. */
export interface ApiKeyVerifier {
  /**
   * Throws `DependencyUnavailableError` when the key store cannot answer (the API says 503).
   */
  verify(secret: string): Promise<Principal | undefined>;
  /** The answer already known for `secret`, without any lookup; undefined when none is. */
  cached(secret: string): Promise<Principal | undefined> | undefined;
}
