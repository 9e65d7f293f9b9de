import '@herald/testing';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { controlStack } from '@herald/testing';
import { createApiKey, createDatabase, createPool } from '@herald/db';
import { receiveEnvelopes, stackApp, stackSqs, type StackApp } from '../test/stack-app';

const stack = inject('stack');
const tenant = `dur-${randomUUID().slice(0, 8)}`;
const sqs = stackSqs(stack);
let key = '';
let target: StackApp;

async function post(
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return target.app.request(path, {
    method: 'POST',
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

beforeAll(async () => {
  const pool = createPool({ connectionString: stack.databaseUrl, max: 1 });
  key = (
    await createApiKey(createDatabase(pool), {
      tenant,
      name: 'durability',
      scopes: ['messages:write', 'messages:read'],
    })
  ).key;
  await pool.end();
  target = stackApp(stack);
});

afterAll(async () => {
  await target.close();
  sqs.destroy();
});

describe('invariant 1: 202 means SQS accepted the message', () => {
  it('puts exactly the acknowledged envelope on the queue, with the trace in message attributes', async () => {
    const traceparent = '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01';
    const response = await post(
      '/v1/messages',
      { channel: 'orders', body: { total: 12.5 }, priority: 'critical' },
      { traceparent, tracestate: 'k=v' },
    );
    expect(response.status).toBe(202);
    const accepted = (await response.json()) as { id: string; acceptedAt: string };
    const received = await receiveEnvelopes(sqs, stack.queueUrl, [accepted.id]);
    const message = received.get(accepted.id);
    expect(message?.envelope).toMatchObject({
      v: 1,
      id: accepted.id,
      tenant,
      channel: 'orders',
      body: { total: 12.5 },
      priority: 'critical',
      acceptedAt: accepted.acceptedAt,
    });
    expect(message?.envelope.trace.traceparent).toMatch(/^00-4bf92f3577b34da6a3ce929d0e0e4736-/);
    expect(message?.attributes).toEqual({
      traceparent: message?.envelope.trace.traceparent,
      tracestate: 'k=v',
    });
  });

  it('enqueues every accepted entry of a batch, coalescing concurrent requests into few SQS calls', async () => {
    const before = target.metrics.snapshot();
    const responses = await Promise.all(
      Array.from({ length: 5 }, (_, request) =>
        post('/v1/messages/batch', {
          messages: Array.from({ length: 8 }, (_, i) => ({
            channel: 'bulk',
            body: `r${request}m${i}`,
          })),
        }),
      ),
    );
    const ids = (
      await Promise.all(
        responses.map(async (response) => {
          expect(response.status).toBe(202);
          const body = (await response.json()) as { accepted: number; results: { id?: string }[] };
          expect(body.accepted).toBe(8);
          return body.results.map((result) => result.id ?? '');
        }),
      )
    ).flat();
    const received = await receiveEnvelopes(sqs, stack.queueUrl, ids);
    expect(received.size).toBe(40);
    const after = target.metrics.snapshot();
    expect(after.messagesEnqueued - before.messagesEnqueued).toBe(40);
    expect(after.sqsRequests - before.sqsRequests).toBeLessThanOrEqual(6);
  });

  it('answers 503 with Retry-After while SQS is down, acknowledges nothing, and recovers', async () => {
    const acknowledged: string[] = [];
    const ok = await post('/v1/messages', { channel: 'chaos', body: 'before' });
    expect(ok.status).toBe(202);
    acknowledged.push(((await ok.json()) as { id: string }).id);
    // The edge keeps queues in memory: collect what was acknowledged before stopping it.
    expect((await receiveEnvelopes(sqs, stack.queueUrl, acknowledged)).size).toBe(1);

    await controlStack(stack, 'aws', 'stop');
    try {
      const single = await post('/v1/messages', { channel: 'chaos', body: 'during' });
      expect(single.status).toBe(503);
      expect(single.headers.get('retry-after')).toBe('2');
      expect(await single.json()).toMatchObject({ code: 'service_unavailable' });
      const batch = await post('/v1/messages/batch', {
        messages: [{ channel: 'chaos', body: 'during' }],
      });
      expect(batch.status).toBe(503);
      const keyed = await post(
        '/v1/messages',
        { channel: 'chaos', body: 'during' },
        { 'idempotency-key': `chaos-${randomUUID()}` },
      );
      expect(keyed.status).toBe(503);
      const ready = await target.app.request('/readyz');
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        checks: { sqs: 'failed', dynamodb: 'failed', postgres: 'ok' },
      });
    } finally {
      await controlStack(stack, 'aws', 'start');
    }

    const after = await post('/v1/messages', { channel: 'chaos', body: 'after' });
    expect(after.status).toBe(202);
    const id = ((await after.json()) as { id: string }).id;
    const received = await receiveEnvelopes(sqs, stack.queueUrl, [id]);
    expect(received.get(id)?.envelope.body).toBe('after');
    expect((await target.app.request('/readyz')).status).toBe(200);
  });
});
