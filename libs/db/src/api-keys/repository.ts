import { randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, sql } from 'drizzle-orm';
import { tenantSchema } from '@herald/contracts';
import type { Database, PooledDatabase } from '../client';
import { withTransaction } from '../transaction';
import { apiKeys } from '../schema';
import { API_KEY_SCOPES, parseScopes, type ApiKeyScope } from './scopes';
import {
  apiKeyPrefix,
  assertUsableSecret,
  generateApiKey,
  hashApiKey,
  hashesEqual,
} from './secret';

/** A key as operators see it: everything but the hash. */
export interface ApiKeySummary {
  readonly id: string;
  readonly tenant: string;
  readonly name: string;
  readonly prefix: string;
  readonly scopes: ApiKeyScope[];
  readonly createdAt: Date;
  readonly revokedAt: Date | null;
}

/** A key that may authenticate: not revoked. */
export interface ActiveApiKey {
  readonly id: string;
  readonly tenant: string;
  readonly name: string;
  readonly prefix: string;
  readonly scopes: ApiKeyScope[];
}

export interface NewApiKey {
  readonly tenant: string;
  readonly name: string;
  readonly scopes: readonly string[];
  /** A secret to provision instead of a generated one (dev and CI keys). */
  readonly secret?: string;
}

/** Thrown when a provisioned secret already belongs to a key. */
export class DuplicateApiKeyError extends Error {
  override readonly name = 'DuplicateApiKeyError';
}

/** Thrown when a prefix names several active keys: revoke by id instead. */
export class AmbiguousApiKeyError extends Error {
  override readonly name = 'AmbiguousApiKeyError';
}

const NAME_MAX_LENGTH = 200;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const summaryColumns = {
  id: apiKeys.id,
  tenant: apiKeys.tenant,
  name: apiKeys.name,
  prefix: apiKeys.prefix,
  scopes: apiKeys.scopes,
  createdAt: apiKeys.createdAt,
  revokedAt: apiKeys.revokedAt,
};

function checkInput(input: NewApiKey): { tenant: string; name: string; scopes: ApiKeyScope[] } {
  const tenant = tenantSchema.safeParse(input.tenant);
  if (!tenant.success)
    throw new RangeError(
      `invalid tenant "${input.tenant}": ${tenant.error.issues[0]?.message ?? ''}`,
    );
  const name = input.name.trim();
  if (name === '' || name.length > NAME_MAX_LENGTH)
    throw new RangeError(`a key name must be 1-${NAME_MAX_LENGTH} characters`);
  const scopes = parseScopes(input.scopes);
  if (scopes.length === 0) throw new RangeError('a key needs at least one scope');
  return { tenant: tenant.data, name, scopes };
}

/**
 * Creates a key and returns its secret, the only time it is ever visible.
 * @example const { key } = await createApiKey(db, { tenant: 'acme', name: 'ci', scopes: ['messages:write'] });
 */
export async function createApiKey(
  db: Database,
  input: NewApiKey,
): Promise<{ id: string; key: string; prefix: string }> {
  const checked = checkInput(input);
  const key = input.secret ?? generateApiKey().key;
  assertUsableSecret(key);
  const id = randomUUID();
  const prefix = apiKeyPrefix(key);
  const inserted = await db
    .insert(apiKeys)
    .values({ id, ...checked, prefix, secretHash: hashApiKey(key) })
    .onConflictDoNothing({ target: apiKeys.secretHash })
    .returning({ id: apiKeys.id });
  if (inserted.length === 0)
    throw new DuplicateApiKeyError(`a key with this secret already exists (prefix ${prefix})`);
  return { id, key, prefix };
}

/**
 * Provisions a known secret idempotently: creates the key, or brings the existing one with the
 * same secret back to the given tenant, name and scopes (and un-revokes it).
 */
export async function ensureApiKey(
  db: Database,
  input: NewApiKey & { readonly secret: string },
): Promise<{ id: string; prefix: string; created: boolean }> {
  const checked = checkInput(input);
  assertUsableSecret(input.secret);
  const prefix = apiKeyPrefix(input.secret);
  const [row] = await db
    .insert(apiKeys)
    .values({ id: randomUUID(), ...checked, prefix, secretHash: hashApiKey(input.secret) })
    .onConflictDoUpdate({
      target: apiKeys.secretHash,
      set: { ...checked, prefix, revokedAt: null },
    })
    // xmax is 0 on a freshly inserted row version, non-zero when the upsert updated one.
    .returning({ id: apiKeys.id, created: sql<boolean>`(xmax = 0)` });
  if (!row) throw new Error('ensureApiKey: the upsert returned no row');
  return { id: row.id, prefix, created: row.created };
}

/** Every key (of one tenant when given), oldest first, without hashes. */
export async function listApiKeys(db: Database, tenant?: string): Promise<ApiKeySummary[]> {
  const rows = await db
    .select(summaryColumns)
    .from(apiKeys)
    .where(tenant === undefined ? undefined : eq(apiKeys.tenant, tenant))
    .orderBy(asc(apiKeys.createdAt), asc(apiKeys.id));
  return rows.map((row) => ({ ...row, scopes: knownScopes(row.scopes) }));
}

/**
 * Revokes the key with this id, or the one active key with this prefix. Returns the keys it
 * revoked (none when nothing active matched). Services notice within their key-cache TTL.
 */
export async function revokeApiKey(
  db: PooledDatabase,
  idOrPrefix: string,
): Promise<ApiKeySummary[]> {
  const match = UUID.test(idOrPrefix)
    ? eq(apiKeys.id, idOrPrefix.toLowerCase())
    : eq(apiKeys.prefix, idOrPrefix);
  return withTransaction(db, async (tx) => {
    const active = await tx
      .select({ id: apiKeys.id })
      .from(apiKeys)
      .where(and(match, isNull(apiKeys.revokedAt)))
      .for('update');
    if (active.length > 1) {
      throw new AmbiguousApiKeyError(
        `${active.length} active keys have the prefix "${idOrPrefix}": revoke by id`,
      );
    }
    const rows = await tx
      .update(apiKeys)
      .set({ revokedAt: new Date() })
      .where(and(match, isNull(apiKeys.revokedAt)))
      .returning(summaryColumns);
    return rows.map((row) => ({ ...row, scopes: knownScopes(row.scopes) }));
  });
}

/**
 * The active key whose secret hashes to `secretHash`, or undefined. Read-only: the ingest's
 * reader role can run it.
 */
export async function findActiveKeyByHash(
  db: Database,
  secretHash: string,
): Promise<ActiveApiKey | undefined> {
  const [row] = await db
    .select({ ...summaryColumns, secretHash: apiKeys.secretHash })
    .from(apiKeys)
    .where(and(eq(apiKeys.secretHash, secretHash), isNull(apiKeys.revokedAt)))
    .limit(1);
  // The index lookup already matched; the constant-time comparison keeps the final check free
  // of early-exit timing whatever the driver or collation does.
  if (!row || !hashesEqual(row.secretHash, secretHash)) return undefined;
  return {
    id: row.id,
    tenant: row.tenant,
    name: row.name,
    prefix: row.prefix,
    scopes: knownScopes(row.scopes),
  };
}

/** Unknown scopes in a row (written by a newer version) are ignored rather than failing auth. */
function knownScopes(values: readonly string[]): ApiKeyScope[] {
  return API_KEY_SCOPES.filter((scope) => values.includes(scope));
}
