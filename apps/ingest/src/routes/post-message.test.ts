import { describe, expect, it } from 'vitest';
import { envelopeV1Schema, idempotentMessageId } from '@herald/contracts';
import { KEYS, postJson, testApp } from '../../test/fakes';
import { DependencyUnavailableError } from '../errors/api-error';
import { TokenBucketRateLimiter } from '../rate-limit/token-bucket';

const message = {
  channel: 'orders',
  body: { orderId: 42 },
  sender: 'shop',
  attributes: { region: 'eu' },
  priority: 'high',
};
const TRACEPARENT = '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01';

describe('POST /v1/messages', () => {
  it('answers 202 with a UUIDv7 id once the queue accepted a valid envelope', async () => {
    const { app, queue } = testApp();
    const response = await app.request(
      '/v1/messages',
      postJson(message, KEYS.writer, { traceparent: TRACEPARENT, tracestate: 'vendor=x' }),
    );
    expect(response.status).toBe(202);
    const body = (await response.json()) as {
      id: string;
      status: string;
      replayed: boolean;
      acceptedAt: string;
    };
    expect(body).toMatchObject({ status: 'accepted', channel: 'orders', replayed: false });
    expect(body.id[14]).toBe('7');
    expect(queue.sent).toHaveLength(1);
    const envelope = envelopeV1Schema.parse(queue.envelopes()[0]);
    expect(envelope).toMatchObject({
      v: 1,
      id: body.id,
      tenant: 'acme',
      channel: 'orders',
      body: { orderId: 42 },
      sender: 'shop',
      priority: 'high',
      acceptedAt: body.acceptedAt,
    });
    expect(envelope.trace.traceparent).toMatch(
      /^00-0af7651916cd43dd8448eb211c80319c-[0-9a-f]{16}-01$/,
    );
    expect(queue.sent[0]?.attributes).toEqual({
      traceparent: envelope.trace.traceparent,
      tracestate: 'vendor=x',
    });
  });

  it('applies defaults and starts a new trace when none is sent', async () => {
    const { app, queue } = testApp();
    const response = await app.request('/v1/messages', postJson({ channel: 'orders', body: 'hi' }));
    expect(response.status).toBe(202);
    const envelope = envelopeV1Schema.parse(queue.envelopes()[0]);
    expect(envelope).toMatchObject({ priority: 'normal', attributes: {}, body: 'hi' });
    expect(envelope.trace.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
  });

  it('escapes the characters SQS refuses without changing the body', async () => {
    const { app, queue } = testApp();
    const response = await app.request(
      '/v1/messages',
      postJson({ channel: 'orders', body: 'a\uFFFFb\uFFFE\u0001' }),
    );
    expect(response.status).toBe(202);
    const raw = queue.sent[0]?.body ?? '';
    expect(raw).not.toMatch(/[\uFFFE\uFFFF\u0000-\u0008]/);
    expect(envelopeV1Schema.parse(JSON.parse(raw)).body).toBe('a\uFFFFb\uFFFE\u0001');
  });

  it('reads a body with a declared Content-Length in one piece', async () => {
    const { app, queue } = testApp();
    const body = JSON.stringify({ channel: 'orders', body: 'é' });
    const response = await app.request(
      '/v1/messages',
      postJson(body, KEYS.writer, { 'content-length': String(Buffer.byteLength(body)) }),
    );
    expect(response.status).toBe(202);
    expect(envelopeV1Schema.parse(queue.envelopes()[0]).body).toBe('é');
  });

  it('answers 503 with Retry-After, never 202, when the queue is unreachable', async () => {
    const { app, queue } = testApp();
    queue.outcome = () => ({
      ok: false,
      kind: 'unavailable',
      retryable: true,
      reason: 'the queue is unreachable',
    });
    const response = await app.request('/v1/messages', postJson(message));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(await response.json()).toMatchObject({ code: 'service_unavailable' });
    expect(queue.sent).toEqual([]);
  });

  it('echoes a well-formed X-Request-Id and replaces a malformed one', async () => {
    const { app } = testApp();
    const kept = await app.request(
      '/v1/messages',
      postJson(message, KEYS.writer, { 'x-request-id': 'req-123' }),
    );
    expect(kept.headers.get('x-request-id')).toBe('req-123');
    const replaced = await app.request(
      '/v1/messages',
      postJson(message, KEYS.writer, { 'x-request-id': 'bad id\u0007' }),
    );
    expect(replaced.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('logs status, latency and tenant, but neither the key nor the body', async () => {
    const { app, lines } = testApp();
    const response = await app.request(
      '/v1/messages',
      postJson({ channel: 'orders', body: 'secret-body-text' }),
    );
    const line = lines.find((entry) => entry.msg === 'request');
    expect(line).toMatchObject({
      requestId: response.headers.get('x-request-id'),
      method: 'POST',
      path: '/v1/messages',
      status: 202,
      tenant: 'acme',
    });
    expect(typeof line?.latencyMs).toBe('number');
    const logged = JSON.stringify(lines);
    expect(logged).not.toContain('secret-body-text');
    expect(logged).not.toContain(KEYS.writer);
  });

  it('answers 503 when the key store is down (not 401, not 500)', async () => {
    const { app, keys, queue } = testApp();
    keys.down = true;
    const response = await app.request('/v1/messages', postJson(message));
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(queue.sent).toEqual([]);
  });
});

describe('POST /v1/messages rate limit', () => {
  it('answers 429 with Retry-After and RateLimit headers once the key’s bucket is empty', async () => {
    let now = 0;
    const { app, queue } = testApp({
      rateLimiter: new TokenBucketRateLimiter({ ratePerSecond: 1, burst: 2, now: () => now }),
    });
    const first = await app.request('/v1/messages', postJson(message));
    expect(first.status).toBe(202);
    expect(first.headers.get('ratelimit-policy')).toBe('"per-key";q=2;w=2');
    expect(first.headers.get('ratelimit')).toBe('"per-key";r=1;t=1');
    expect((await app.request('/v1/messages', postJson(message))).status).toBe(202);
    const limited = await app.request('/v1/messages', postJson(message));
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('1');
    expect(limited.headers.get('ratelimit')).toBe('"per-key";r=0;t=2');
    expect(await limited.json()).toMatchObject({ code: 'rate_limited' });
    expect(queue.sent).toHaveLength(2);
    now = 1000;
    expect((await app.request('/v1/messages', postJson(message))).status).toBe(202);
  });

  it('keeps one bucket per key', async () => {
    const { app } = testApp({
      rateLimiter: new TokenBucketRateLimiter({ ratePerSecond: 1, burst: 1, now: () => 0 }),
    });
    expect((await app.request('/v1/messages', postJson(message, KEYS.writer))).status).toBe(202);
    expect((await app.request('/v1/messages', postJson(message, KEYS.writer))).status).toBe(429);
    expect((await app.request('/v1/messages', postJson(message, KEYS.both))).status).toBe(202);
  });
});

describe('POST /v1/messages with an Idempotency-Key', () => {
  const key = { 'idempotency-key': 'order-42' };

  it('derives the id from tenant and key, and replays the same answer', async () => {
    const { app, queue } = testApp();
    const first = await app.request('/v1/messages', postJson(message, KEYS.writer, key));
    expect(first.status).toBe(202);
    const firstBody = (await first.json()) as { id: string; acceptedAt: string };
    expect(firstBody.id).toBe(idempotentMessageId('acme', 'order-42'));
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    expect(envelopeV1Schema.parse(queue.envelopes()[0]).idempotencyKey).toBe('order-42');

    // Same payload, fields in another order and defaults spelled out: still a replay.
    const replay = await app.request(
      '/v1/messages',
      postJson(
        {
          priority: 'high',
          attributes: { region: 'eu' },
          sender: 'shop',
          body: { orderId: 42 },
          channel: 'orders',
        },
        KEYS.writer,
        key,
      ),
    );
    expect(replay.status).toBe(202);
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect(await replay.json()).toMatchObject({
      id: firstBody.id,
      acceptedAt: firstBody.acceptedAt,
      replayed: true,
    });
    expect(queue.sent).toHaveLength(1);
  });

  it('answers 409 idempotency_conflict for the same key with another payload', async () => {
    const { app, queue } = testApp();
    await app.request('/v1/messages', postJson(message, KEYS.writer, key));
    const conflict = await app.request(
      '/v1/messages',
      postJson({ ...message, body: { orderId: 43 } }, KEYS.writer, key),
    );
    expect(conflict.status).toBe(409);
    expect(conflict.headers.get('content-type')).toBe('application/problem+json');
    expect(await conflict.json()).toMatchObject({ code: 'idempotency_conflict' });
    expect(queue.sent).toHaveLength(1);
  });

  it('keeps keys of different tenants apart', async () => {
    const { app } = testApp();
    const mine = (await (
      await app.request('/v1/messages', postJson(message, KEYS.writer, key))
    ).json()) as { id: string };
    const theirs = await app.request(
      '/v1/messages',
      postJson({ ...message, body: 'other' }, KEYS.other, key),
    );
    expect(theirs.status).toBe(202);
    expect(((await theirs.json()) as { id: string }).id).not.toBe(mine.id);
  });

  it('re-enqueues on retry when the first attempt failed after its claim', async () => {
    const { app, queue, idempotency } = testApp();
    queue.outcome = () => ({ ok: false, kind: 'unavailable', retryable: true, reason: 'down' });
    const failed = await app.request('/v1/messages', postJson(message, KEYS.writer, key));
    expect(failed.status).toBe(503);
    expect([...idempotency.claims.values()][0]?.state).toBe('pending');

    queue.outcome = () => ({ ok: true });
    const retry = await app.request('/v1/messages', postJson(message, KEYS.writer, key));
    expect(retry.status).toBe(202);
    const body = (await retry.json()) as { id: string };
    expect(body.id).toBe(idempotentMessageId('acme', 'order-42'));
    expect(queue.sent).toHaveLength(1);
    expect(envelopeV1Schema.parse(queue.envelopes()[0]).id).toBe(body.id);
    expect([...idempotency.claims.values()][0]?.state).toBe('accepted');
  });

  it('answers 503 and enqueues nothing when the claim store is down', async () => {
    const { app, queue, idempotency } = testApp();
    idempotency.claim = () => Promise.reject(new DependencyUnavailableError('dynamodb'));
    const response = await app.request('/v1/messages', postJson(message, KEYS.writer, key));
    expect(response.status).toBe(503);
    expect(queue.sent).toEqual([]);
  });
});
