import '@herald/testing';
import { randomUUID } from 'node:crypto';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createDynamoDbDocumentClient } from '@herald/aws';
import { historyPageSchema, newMessageId, type HistoryPage } from '@herald/contracts';
import { createApiKey, createDatabase, createPool, messages } from '@herald/db';
import { messageStatusKey } from '@herald/metadata';
import { historyQuery } from './messages/postgres-message-reader';
import { stackApp, type StackApp } from '../test/stack-app';

const stack = inject('stack');
const suffix = randomUUID().slice(0, 8);
const tenants = { acme: `acme-${suffix}`, globex: `globex-${suffix}` };
const owner = createPool({ connectionString: stack.databaseUrl, max: 2 });
const dynamodb = createDynamoDbDocumentClient({
  region: stack.region,
  endpoint: stack.awsEndpoint,
});
const keys = { acme: '', globex: '' };
const ids: string[] = [];
let target: StackApp;

async function get(path: string, key: string): Promise<Response> {
  return target.app.request(path, { headers: { authorization: `Bearer ${key}` } });
}

beforeAll(async () => {
  const db = createDatabase(owner);
  keys.acme = (
    await createApiKey(db, { tenant: tenants.acme, name: 'reader', scopes: ['messages:read'] })
  ).key;
  keys.globex = (
    await createApiKey(db, { tenant: tenants.globex, name: 'reader', scopes: ['messages:read'] })
  ).key;
  // Seven rows of acme's "orders", pairs sharing a timestamp so ids break ties; one row elsewhere.
  const base = Date.UTC(2026, 0, 1);
  for (let i = 0; i < 7; i += 1) ids.push(newMessageId());
  await db.insert(messages).values([
    ...ids.map((id, i) => ({
      id,
      tenant: tenants.acme,
      channel: 'orders',
      body: `m${i}`,
      priority: 'normal' as const,
      acceptedAt: new Date(base + Math.floor(i / 2) * 1000),
    })),
    {
      id: newMessageId(),
      tenant: tenants.globex,
      channel: 'orders',
      body: 'theirs',
      priority: 'high' as const,
      acceptedAt: new Date(base),
    },
  ]);
  await dynamodb.send(
    new PutCommand({
      TableName: stack.metadataTable,
      Item: {
        ...messageStatusKey(tenants.acme, ids[0] ?? ''),
        id: ids[0],
        tenant: tenants.acme,
        status: 'stored',
        updatedAt: new Date().toISOString(),
      },
    }),
  );
  await dynamodb.send(
    new PutCommand({
      TableName: stack.metadataTable,
      Item: {
        ...messageStatusKey(tenants.acme, ids[1] ?? ''),
        id: ids[1],
        tenant: tenants.acme,
        status: 'rejected',
        reason: 'schema',
        updatedAt: new Date().toISOString(),
      },
    }),
  );
  target = stackApp(stack);
});

afterAll(async () => {
  await target.close();
  await owner.end();
  dynamodb.destroy();
});

describe('invariant 7: a key reads only its tenant’s messages', () => {
  it('answers a stored message with the row from PostgreSQL', async () => {
    const response = await get(`/v1/messages/${ids[0] ?? ''}`, keys.acme);
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      id: ids[0],
      status: 'stored',
      message: { id: ids[0], channel: 'orders', body: 'm0', sender: null, priority: 'normal' },
    });
  });

  it('answers a rejected message with its reason', async () => {
    expect(await (await get(`/v1/messages/${ids[1] ?? ''}`, keys.acme)).json()).toEqual({
      id: ids[1],
      status: 'rejected',
      reason: 'schema',
    });
  });

  it('answers 404 to another tenant, for the status and for the row', async () => {
    for (const id of [ids[0], ids[1], ids[2]]) {
      const response = await get(`/v1/messages/${id ?? ''}`, keys.globex);
      expect(response.status).toBe(404);
      expect(response.headers.get('content-type')).toBe('application/problem+json');
    }
  });

  it('pages a channel’s history newest first on the real index, and shows other tenants only their own', async () => {
    const seen: string[] = [];
    let cursor: string | null = null;
    for (let pages = 0; pages < 10; pages += 1) {
      const response = await get(
        `/v1/channels/orders/messages?limit=3${cursor ? `&cursor=${cursor}` : ''}`,
        keys.acme,
      );
      expect(response.status).toBe(200);
      const page: HistoryPage = historyPageSchema.parse(await response.json());
      seen.push(
        ...page.items.map((item) =>
          typeof item.body === 'string' ? item.body : JSON.stringify(item.body),
        ),
      );
      cursor = page.nextCursor;
      if (!cursor) break;
    }
    expect(seen).toEqual(['m6', 'm5', 'm4', 'm3', 'm2', 'm1', 'm0']);
    const theirs = historyPageSchema.parse(
      await (await get('/v1/channels/orders/messages', keys.globex)).json(),
    );
    expect(theirs.items.map((item) => item.body)).toEqual(['theirs']);
  });

  it('reads history pages in index order from messages_history_idx, without sorting', async () => {
    const client = await owner.connect();
    try {
      // Tiny tables may be scanned sequentially; forbid that to see how the index is used.
      await client.query('set enable_seqscan = off');
      const query = historyQuery(createDatabase(owner), tenants.acme, 'orders', {
        limit: 26,
        after: { acceptedAt: new Date(), id: ids[0] ?? '' },
      }).toSQL();
      const { rows } = await client.query<{ 'QUERY PLAN': string }>(
        `explain ${query.sql}`,
        query.params,
      );
      const plan = rows.map((row) => row['QUERY PLAN']).join('\n');
      expect(plan).toContain('messages_history_idx');
      expect(plan).toMatch(/Index Cond: .*ROW\(accepted_at, id\) < ROW/);
      expect(plan).not.toMatch(/Sort/);
    } finally {
      await client.query('reset enable_seqscan');
      client.release();
    }
  });
});
