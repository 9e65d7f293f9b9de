import '@herald/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { idempotentMessageId } from '@herald/contracts';
import { createApiKey, createDatabase, createPool } from '@herald/db';
import { receiveEnvelopes, stackApp, stackSqs, type StackApp } from '../test/stack-app';

const stack = inject('stack');
const tenant = `idem-${randomUUID().slice(0, 8)}`;
const sqs = stackSqs(stack);
let key = '';
// Two ingest tasks: separate clients, batchers, caches; only the stack is shared.
let taskA: StackApp;
let taskB: StackApp;

async function post(task: StackApp, body: unknown, idempotencyKey: string): Promise<Response> {
  return task.app.request('/v1/messages', {
    method: 'POST',
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/json',
      'idempotency-key': idempotencyKey,
    },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  const pool = createPool({ connectionString: stack.databaseUrl, max: 1 });
  key = (
    await createApiKey(createDatabase(pool), {
      tenant,
      name: 'idempotency',
      scopes: ['messages:write'],
    })
  ).key;
  await pool.end();
  taskA = stackApp(stack);
  taskB = stackApp(stack);
});

afterAll(async () => {
  await Promise.all([taskA.close(), taskB.close()]);
  sqs.destroy();
});

describe('Idempotency-Key across ingest tasks', () => {
  it('returns one id for concurrent requests on two tasks, and replays on a later request', async () => {
    const idempotencyKey = `order-${randomUUID()}`;
    const message = { channel: 'orders', body: { n: 1 } };
    const [a, b] = await Promise.all([
      post(taskA, message, idempotencyKey),
      post(taskB, message, idempotencyKey),
    ]);
    expect([a.status, b.status]).toEqual([202, 202]);
    const [bodyA, bodyB] = (await Promise.all([a.json(), b.json()])) as {
      id: string;
      replayed: boolean;
      acceptedAt: string;
    }[];
    const id = idempotentMessageId(tenant, idempotencyKey);
    expect(bodyA?.id).toBe(id);
    expect(bodyB?.id).toBe(id);
    expect([bodyA?.replayed, bodyB?.replayed].sort()).toEqual([false, true]);

    // A third process (a restarted task) still sees the claim in DynamoDB.
    const restarted = stackApp(stack);
    try {
      const replay = await post(restarted, { body: { n: 1 }, channel: 'orders' }, idempotencyKey);
      expect(replay.status).toBe(202);
      expect(replay.headers.get('idempotent-replayed')).toBe('true');
      expect(await replay.json()).toMatchObject({
        id,
        replayed: true,
        acceptedAt: bodyA?.acceptedAt,
      });
    } finally {
      await restarted.close();
    }

    // At least one copy reached the queue, every copy with the same id (the worker dedups on it).
    const received = await receiveEnvelopes(sqs, stack.queueUrl, [id]);
    expect(received.get(id)?.envelope).toMatchObject({ id, idempotencyKey, tenant });
  });

  it('answers 409 on another task for the same key with a different payload', async () => {
    const idempotencyKey = `order-${randomUUID()}`;
    expect((await post(taskA, { channel: 'orders', body: 'first' }, idempotencyKey)).status).toBe(
      202,
    );
    const conflict = await post(taskB, { channel: 'orders', body: 'second' }, idempotencyKey);
    expect(conflict.status).toBe(409);
    expect(await conflict.json()).toMatchObject({ code: 'idempotency_conflict' });
    await receiveEnvelopes(
      sqs,
      stack.queueUrl,
      [idempotentMessageId(tenant, idempotencyKey)],
      3_000,
    );
  });
});
