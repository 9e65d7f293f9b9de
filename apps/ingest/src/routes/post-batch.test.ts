import { describe, expect, it } from 'vitest';
import { batchResponseSchema, envelopeV1Schema } from '@herald/contracts';
import { postJson, testApp } from '../../test/fakes';

const valid = (n: number) => ({ channel: 'orders', body: { n } });

describe('POST /v1/messages/batch', () => {
  it('accepts every valid message and answers each by index', async () => {
    const { app, queue } = testApp();
    const response = await app.request(
      '/v1/messages/batch',
      postJson({ messages: [valid(0), valid(1), valid(2)] }),
    );
    expect(response.status).toBe(202);
    const body = batchResponseSchema.parse(await response.json());
    expect(body).toMatchObject({ accepted: 3, rejected: 0 });
    expect(body.results.map((result) => [result.index, result.status])).toEqual([
      [0, 'accepted'],
      [1, 'accepted'],
      [2, 'accepted'],
    ]);
    const ids = body.results.map((result) => (result.status === 'accepted' ? result.id : ''));
    expect(queue.envelopes().map((envelope) => envelopeV1Schema.parse(envelope).id)).toEqual(ids);
    expect(new Set(ids).size).toBe(3);
  });

  it('answers 202 with the invalid entries rejected (not retryable) and only the valid ones enqueued', async () => {
    const { app, queue } = testApp();
    const response = await app.request(
      '/v1/messages/batch',
      postJson({ messages: [valid(0), { channel: 'a/b', body: 'x' }, 'junk', valid(3)] }),
    );
    expect(response.status).toBe(202);
    const body = batchResponseSchema.parse(await response.json());
    expect(body).toMatchObject({ accepted: 2, rejected: 2 });
    expect(body.results[1]).toMatchObject({
      index: 1,
      status: 'rejected',
      code: 'validation_failed',
      retryable: false,
    });
    expect(body.results[1]?.status === 'rejected' && body.results[1].detail).toContain(
      '/messages/1/channel',
    );
    expect(body.results[2]).toMatchObject({
      index: 2,
      status: 'rejected',
      code: 'validation_failed',
    });
    expect(queue.envelopes().map((envelope) => (envelope.body as { n: number }).n)).toEqual([0, 3]);
  });

  it('marks entries the queue refused as rejected and retryable, keeping the others accepted', async () => {
    const { app, queue } = testApp();
    queue.outcome = (_message, index) =>
      index === 1
        ? { ok: false, kind: 'rejected', retryable: true, reason: 'InternalError' }
        : { ok: true };
    const response = await app.request(
      '/v1/messages/batch',
      postJson({ messages: [valid(0), valid(1), valid(2)] }),
    );
    expect(response.status).toBe(202);
    const body = batchResponseSchema.parse(await response.json());
    expect(body).toMatchObject({ accepted: 2, rejected: 1 });
    expect(body.results[1]).toMatchObject({
      index: 1,
      status: 'rejected',
      code: 'enqueue_failed',
      retryable: true,
    });
    expect(queue.sent).toHaveLength(2);
  });

  it('answers 503 with Retry-After when the queue took none of the messages', async () => {
    const { app, queue } = testApp();
    queue.outcome = () => ({
      ok: false,
      kind: 'unavailable',
      retryable: true,
      reason: 'the queue is unreachable',
    });
    const response = await app.request(
      '/v1/messages/batch',
      postJson({ messages: [valid(0), valid(1)] }),
    );
    expect(response.status).toBe(503);
    expect(response.headers.get('retry-after')).toBe('5');
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(queue.sent).toEqual([]);
  });

  it('shares one acceptedAt and one trace across the batch', async () => {
    const { app, queue } = testApp();
    await app.request('/v1/messages/batch', postJson({ messages: [valid(0), valid(1)] }));
    const [a, b] = queue.envelopes().map((envelope) => envelopeV1Schema.parse(envelope));
    expect(a?.acceptedAt).toBe(b?.acceptedAt);
    expect(a?.trace).toEqual(b?.trace);
  });
});
