import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { envelopeV1Schema, messageInputSchema } from '@herald/contracts';
import { KEYS, postJson, testApp } from '../test/fakes';
import { fieldErrors } from './errors/zod-issues';

const RUNS = 150;

/** Asserts the answer to junk: a 4xx problem document and nothing enqueued, or a 202 of valid input. */
async function expectSafeAnswer(response: Response, sent: number, input?: unknown): Promise<void> {
  expect(response.status).toBeLessThan(500);
  if (response.status === 202) {
    if (input !== undefined) expect(messageInputSchema.safeParse(input).success).toBe(true);
    return;
  }
  expect(response.status).toBeGreaterThanOrEqual(400);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const problem = (await response.json()) as { code?: unknown; requestId?: unknown };
  expect(typeof problem.code).toBe('string');
  expect(typeof problem.requestId).toBe('string');
  expect(sent).toBe(0);
}

const messageLike = fc.record(
  {
    channel: fc.oneof(
      fc.string(),
      fc.stringMatching(/^[A-Za-z0-9][A-Za-z0-9._~-]{0,20}$/),
      fc.integer(),
    ),
    body: fc.oneof(fc.string(), fc.jsonValue({ maxDepth: 4 }), fc.constant(undefined)),
    sender: fc.option(fc.string(), { nil: undefined }),
    attributes: fc.oneof(
      fc.dictionary(
        fc.string({ maxLength: 10 }),
        fc.oneof(fc.string({ maxLength: 10 }), fc.integer()),
      ),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    priority: fc.oneof(fc.constantFrom('low', 'normal', 'high', 'critical'), fc.string()),
    extra: fc.option(fc.jsonValue({ maxDepth: 1 }), { nil: undefined }),
  },
  { requiredKeys: [] },
);

describe('the validators on generated junk', () => {
  it('never throw, and report every issue as a JSON pointer', () => {
    fc.assert(
      fc.property(fc.anything(), (value) => {
        const result = messageInputSchema.safeParse(value);
        if (!result.success) {
          const errors = fieldErrors(result.error);
          expect(errors.length).toBeGreaterThan(0);
          for (const error of errors)
            expect(error.path === '' || error.path.startsWith('/')).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('the HTTP layer on generated junk', () => {
  it('answers message-like objects with 202 only when valid, otherwise a 4xx problem and no enqueue', async () => {
    await fc.assert(
      fc.asyncProperty(messageLike, async (input) => {
        const { app, queue } = testApp();
        const response = await app.request('/v1/messages', postJson(input));
        // Judge what went over the wire: JSON drops undefined-valued keys such as `extra`.
        const sent: unknown = JSON.parse(JSON.stringify(input));
        await expectSafeAnswer(response, queue.sent.length, sent);
        if (response.status === 202) {
          expect(queue.sent).toHaveLength(1);
          expect(envelopeV1Schema.safeParse(queue.envelopes()[0]).success).toBe(true);
        }
      }),
      { numRuns: RUNS },
    );
  });

  it('answers arbitrary bytes with a 4xx problem and no enqueue', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 512 }),
        fc.constantFrom('/v1/messages', '/v1/messages/batch'),
        async (bytes, path) => {
          const { app, queue } = testApp();
          const response = await app.request(path, { ...postJson(''), body: bytes });
          await expectSafeAnswer(response, queue.sent.length);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('answers arbitrary JSON to the batch endpoint safely, enqueuing only valid entries', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.jsonValue({ maxDepth: 5 }),
          fc.record({
            messages: fc.array(fc.oneof(messageLike, fc.jsonValue({ maxDepth: 2 })), {
              maxLength: 12,
            }),
          }),
        ),
        async (input) => {
          const { app, queue } = testApp();
          const response = await app.request('/v1/messages/batch', postJson(input));
          expect(response.status).toBeLessThan(500);
          if (response.status !== 202) await expectSafeAnswer(response, queue.sent.length);
          for (const envelope of queue.envelopes())
            expect(envelopeV1Schema.safeParse(envelope).success).toBe(true);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('answers junk headers (content type, key, idempotency key, request id, trace) without a 5xx', async () => {
    const header = fc.string({ maxLength: 80 }).filter((value) => /^[\t\x20-\x7E]*$/.test(value));
    await fc.assert(
      fc.asyncProperty(
        header,
        header,
        header,
        header,
        header,
        async (contentType, auth, idempotencyKey, requestId, traceparent) => {
          const { app, queue } = testApp();
          const response = await app.request('/v1/messages', {
            method: 'POST',
            headers: {
              'content-type': contentType,
              authorization: auth,
              'idempotency-key': idempotencyKey,
              'x-request-id': requestId,
              traceparent,
            },
            body: JSON.stringify({ channel: 'orders', body: 'hi' }),
          });
          await expectSafeAnswer(response, queue.sent.length);
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('answers junk paths and queries of the read endpoints with a 4xx problem', async () => {
    await fc.assert(
      fc.asyncProperty(fc.webSegment(), fc.webQueryParameters(), async (segment, query) => {
        const { app } = testApp();
        for (const path of [
          `/v1/messages/${segment}`,
          `/v1/channels/${segment}/messages?${query}`,
        ]) {
          const response = await app.request(path, {
            headers: { authorization: `Bearer ${KEYS.both}` },
          });
          expect(response.status).toBeLessThan(500);
          if (response.status !== 200)
            expect(response.headers.get('content-type')).toBe('application/problem+json');
        }
      }),
      { numRuns: RUNS },
    );
  });
});
