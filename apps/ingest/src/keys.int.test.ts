import '@herald/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import {
  AmbiguousApiKeyError,
  createApiKey,
  createDatabase,
  createPool,
  DuplicateApiKeyError,
  ensureApiKey,
  findActiveKeyByHash,
  hashApiKey,
  listApiKeys,
  revokeApiKey,
} from '@herald/db';
import { stackApp } from '../test/stack-app';

const stack = inject('stack');
const owner = createPool({ connectionString: stack.databaseUrl, max: 2 });
const reader = createPool({ connectionString: stack.readerDatabaseUrl, max: 2 });
const db = createDatabase(owner);
const tenant = () => `keys-${randomUUID().slice(0, 8)}`;

afterAll(async () => {
  await Promise.all([owner.end(), reader.end()]);
});

describe('API keys in PostgreSQL', () => {
  it('stores only the hash and finds an active key through the read-only role', async () => {
    const t = tenant();
    const created = await createApiKey(db, {
      tenant: t,
      name: 'ci',
      scopes: ['messages:write', 'messages:read'],
    });
    const { rows } = await owner.query<Record<string, unknown>>(
      'select * from api_keys where id = $1',
      [created.id],
    );
    expect(JSON.stringify(rows)).not.toContain(created.key);
    expect(rows[0]).toMatchObject({
      secret_hash: hashApiKey(created.key),
      prefix: created.prefix,
      tenant: t,
    });
    expect(await findActiveKeyByHash(createDatabase(reader), hashApiKey(created.key))).toEqual({
      id: created.id,
      tenant: t,
      name: 'ci',
      prefix: created.prefix,
      scopes: ['messages:write', 'messages:read'],
    });
  });

  it('provisions a known secret idempotently, and refuses it twice through createApiKey', async () => {
    const t = tenant();
    const secret = `hk_dev_${randomUUID()}`;
    const first = await ensureApiKey(db, {
      tenant: t,
      name: 'dev',
      scopes: ['messages:write'],
      secret,
    });
    const second = await ensureApiKey(db, {
      tenant: t,
      name: 'dev',
      scopes: ['messages:write', 'messages:read'],
      secret,
    });
    expect(first.created).toBe(true);
    expect(second).toEqual({ id: first.id, prefix: first.prefix, created: false });
    expect((await listApiKeys(db, t)).map((key) => key.scopes)).toEqual([
      ['messages:write', 'messages:read'],
    ]);
    await expect(
      createApiKey(db, { tenant: t, name: 'again', scopes: ['messages:write'], secret }),
    ).rejects.toBeInstanceOf(DuplicateApiKeyError);
  });

  it('revokes by id or prefix, refusing an ambiguous prefix', async () => {
    const t = tenant();
    const a = await createApiKey(db, {
      tenant: t,
      name: 'a',
      scopes: ['messages:write'],
      secret: `shared-prefix-${randomUUID()}`,
    });
    await createApiKey(db, {
      tenant: t,
      name: 'b',
      scopes: ['messages:write'],
      secret: `shared-prefix-${randomUUID()}`,
    });
    await expect(revokeApiKey(db, 'shared-prefi')).rejects.toBeInstanceOf(AmbiguousApiKeyError);
    expect((await revokeApiKey(db, a.id)).map((key) => key.id)).toEqual([a.id]);
    expect(await revokeApiKey(db, a.id)).toEqual([]);
    expect(await findActiveKeyByHash(db, hashApiKey(a.key))).toBeUndefined();
  });

  it('validates tenant, name and scopes', async () => {
    await expect(
      createApiKey(db, { tenant: 'Not A Tenant', name: 'x', scopes: ['messages:write'] }),
    ).rejects.toThrow(/invalid tenant/);
    await expect(
      createApiKey(db, { tenant: tenant(), name: 'x', scopes: ['messages:admin'] }),
    ).rejects.toThrow(/unknown scope/);
    await expect(
      createApiKey(db, { tenant: tenant(), name: ' ', scopes: ['messages:write'] }),
    ).rejects.toThrow(/name/);
  });

  it('stops authenticating a revoked key once the cache TTL has passed', async () => {
    const t = tenant();
    const { id, key } = await createApiKey(db, {
      tenant: t,
      name: 'short-lived',
      scopes: ['messages:read'],
    });
    const target = stackApp(stack, { keyCacheTtlMs: 200 });
    try {
      const get = () =>
        target.app.request(`/v1/messages/${randomUUID()}`, {
          headers: { authorization: `Bearer ${key}` },
        });
      expect((await get()).status).toBe(404);
      await revokeApiKey(db, id);
      await new Promise((done) => setTimeout(done, 250));
      const response = await get();
      expect(response.status).toBe(401);
      expect(await response.json()).toMatchObject({ code: 'unauthorized' });
    } finally {
      await target.close();
    }
  });
});

describe('the ingest’s database role', () => {
  it('reads messages and keys but cannot write anything', async () => {
    await expect(reader.query('select count(*) from messages')).resolves.toBeDefined();
    await expect(reader.query('select count(*) from api_keys')).resolves.toBeDefined();
    for (const statement of [
      `insert into messages (id, tenant, channel, body, priority, accepted_at) values ('${randomUUID()}', 't', 'c', '"x"', 'low', now())`,
      `update api_keys set revoked_at = now()`,
      `delete from messages`,
      `insert into channel_stats (tenant, channel, message_count, last_message_at) values ('t', 'c', 1, now())`,
    ]) {
      await expect(reader.query(statement)).rejects.toMatchObject({ code: '42501' });
    }
  });
});
