import { describe, expect, it } from 'vitest';
import { LIMITS } from '@herald/contracts';
import { ACCEPTED, hang, json, problem, scriptedFetch } from '../test/fake-fetch';
import { HeraldClientOptionsError } from './client-options';
import { HeraldApiError } from './herald-api-error';
import { HeraldClient } from './herald-client';

const BASE = 'http://127.0.0.1:3000';
/** Retries without real waiting: backoff is random() × ceiling, and random() is 0 here. */
const FAST = { maxAttempts: 4, maxElapsedMs: 10_000, baseDelayMs: 1, maxDelayMs: 1 };

function client(
  fetch: typeof globalThis.fetch,
  options: Partial<{ timeoutMs: number; retry: typeof FAST }> = {},
) {
  return new HeraldClient({
    baseUrl: BASE,
    apiKey: 'hk_test',
    fetch,
    random: () => 0,
    retry: FAST,
    ...options,
  });
}

async function failure(promise: Promise<unknown>): Promise<HeraldApiError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(HeraldApiError);
  return error as HeraldApiError;
}

describe('HeraldClient options', () => {
  it('names each bad option', () => {
    expect(
      () => new HeraldClient({ baseUrl: 'ftp://x', apiKey: '', retry: { maxAttempts: 0 } }),
    ).toThrow(HeraldClientOptionsError);
    expect(() => new HeraldClient({ baseUrl: 'ftp://x', apiKey: '' })).toThrow(
      /baseUrl: must be an http\(s\) URL.*apiKey: must not be empty/,
    );
  });

  it('keeps a base path', async () => {
    const fetch = scriptedFetch([json(202, ACCEPTED)]);
    await new HeraldClient({ baseUrl: 'https://api.example.com/herald', apiKey: 'k', fetch }).send({
      channel: 'orders',
      body: 1,
    });
    expect(fetch.calls[0]?.url).toBe('https://api.example.com/herald/v1/messages');
  });
});

describe('send', () => {
  it('posts the message with the key, the idempotency key and a request id', async () => {
    const fetch = scriptedFetch([json(202, ACCEPTED)]);
    const accepted = await client(fetch).send(
      { channel: 'orders', body: { n: 1 } },
      { idempotencyKey: 'order-1' },
    );
    expect(accepted).toEqual(ACCEPTED);
    const [call] = fetch.calls;
    expect(call?.method).toBe('POST');
    expect(call?.url).toBe(`${BASE}/v1/messages`);
    expect(JSON.parse(call?.body ?? '')).toEqual({ channel: 'orders', body: { n: 1 } });
    expect(call?.headers.get('authorization')).toBe('Bearer hk_test');
    expect(call?.headers.get('idempotency-key')).toBe('order-1');
    expect(call?.headers.get('content-type')).toBe('application/json');
    expect(call?.headers.get('x-request-id')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('throws the problem document as HeraldApiError with code, status, detail and request id', async () => {
    const fetch = scriptedFetch([
      problem(
        'validation_failed',
        { 'x-request-id': 'req-1' },
        { errors: [{ path: '/channel', message: 'bad' }] },
      ),
    ]);
    const error = await failure(client(fetch).send({ channel: '!', body: 1 }));
    expect(error).toMatchObject({
      code: 'validation_failed',
      status: 422,
      title: 'validation_failed',
      detail: 'detail of validation_failed',
      requestId: 'req-1',
      errors: [{ path: '/channel', message: 'bad' }],
      attempts: 1,
    });
    expect(error.message).toBe(
      '422 validation_failed: detail of validation_failed (/channel: bad) [request req-1]',
    );
    expect(fetch.calls).toHaveLength(1);
  });

  it.each([
    ['429', problem('rate_limited', { 'retry-after': '0' })],
    ['503', problem('service_unavailable', { 'retry-after': '0' })],
  ])('retries a send without a key after %s: nothing was enqueued', async (_status, answer) => {
    const fetch = scriptedFetch([answer, json(202, ACCEPTED)]);
    await expect(client(fetch).send({ channel: 'orders', body: 1 })).resolves.toEqual(ACCEPTED);
    expect(fetch.calls).toHaveLength(2);
    // The same request id on every attempt, so the server logs tie them together.
    expect(fetch.calls[1]?.headers.get('x-request-id')).toBe(
      fetch.calls[0]?.headers.get('x-request-id'),
    );
  });

  it('does not repeat a send without a key after a network failure (it may have been enqueued)', async () => {
    const fetch = scriptedFetch([
      new TypeError('fetch failed', { cause: new Error('ECONNRESET') }),
    ]);
    const error = await failure(client(fetch).send({ channel: 'orders', body: 1 }));
    expect(error).toMatchObject({ code: 'network_error', status: 0, attempts: 1 });
    expect(error.detail).toContain('ECONNRESET');
    expect(error.requestId).toBe(fetch.calls[0]?.headers.get('x-request-id'));
  });

  it('does not repeat a send without a key after a 500 or 502', async () => {
    const fetch = scriptedFetch([
      new Response('bad gateway', { status: 502, statusText: 'Bad Gateway' }),
    ]);
    const error = await failure(client(fetch).send({ channel: 'orders', body: 1 }));
    expect(error).toMatchObject({ code: 'invalid_response', status: 502, detail: 'bad gateway' });
    expect(fetch.calls).toHaveLength(1);
  });

  it('repeats a send with an idempotency key after a network failure and a 500', async () => {
    const fetch = scriptedFetch([
      new TypeError('fetch failed'),
      problem('internal_error'),
      json(202, ACCEPTED),
    ]);
    await expect(
      client(fetch).send({ channel: 'orders', body: 1 }, { idempotencyKey: 'k1' }),
    ).resolves.toEqual(ACCEPTED);
    expect(fetch.calls.map((call) => call.headers.get('idempotency-key'))).toEqual([
      'k1',
      'k1',
      'k1',
    ]);
  });

  it('gives up after maxAttempts with the last error and the attempt count', async () => {
    const fetch = scriptedFetch(
      Array.from({ length: 4 }, () => problem('service_unavailable', { 'retry-after': '0' })),
    );
    const error = await failure(client(fetch).send({ channel: 'orders', body: 1 }));
    expect(error).toMatchObject({ code: 'service_unavailable', status: 503, attempts: 4 });
    expect(fetch.calls).toHaveLength(4);
  });

  it('gives up at once when Retry-After would end past maxElapsedMs', async () => {
    const fetch = scriptedFetch([problem('rate_limited', { 'retry-after': '60' })]);
    const started = Date.now();
    const error = await failure(client(fetch).send({ channel: 'orders', body: 1 }));
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 60_000, attempts: 1 });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('waits as long as Retry-After says, even above maxDelayMs', async () => {
    const fetch = scriptedFetch([
      problem('service_unavailable', { 'retry-after': '1' }),
      json(202, ACCEPTED),
    ]);
    const started = Date.now();
    await client(fetch).send({ channel: 'orders', body: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(1_000);
  });

  it('honours Retry-After as an HTTP date', async () => {
    const at = new Date(Date.now() + 1_500).toUTCString();
    const fetch = scriptedFetch([
      problem('service_unavailable', { 'retry-after': at }),
      json(202, ACCEPTED),
    ]);
    const started = Date.now();
    await client(fetch).send({ channel: 'orders', body: 1 });
    // toUTCString drops the milliseconds: the wait is between 0.5 and 1.5 s.
    expect(Date.now() - started).toBeGreaterThanOrEqual(500);
  });

  it('times out a hung request as HeraldApiError code timeout', async () => {
    const fetch = scriptedFetch([hang()]);
    const error = await failure(
      client(fetch, { timeoutMs: 50 }).send({ channel: 'orders', body: 1 }),
    );
    expect(error).toMatchObject({ code: 'timeout', status: 0, attempts: 1 });
  });

  it('retries a timed-out idempotent request within the total bound', async () => {
    const fetch = scriptedFetch([hang(), json(202, ACCEPTED)]);
    await expect(
      client(fetch, { timeoutMs: 50 }).send({ channel: 'o', body: 1 }, { idempotencyKey: 'k' }),
    ).resolves.toEqual(ACCEPTED);
  });

  it('cuts the last attempt at maxElapsedMs', async () => {
    const fetch = scriptedFetch([hang()]);
    const started = Date.now();
    const error = await failure(
      client(fetch, { timeoutMs: 60_000, retry: { ...FAST, maxElapsedMs: 100 } }).send({
        channel: 'o',
        body: 1,
      }),
    );
    expect(error.code).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(30_000);
  });

  it('stops with code aborted when the caller aborts, also during a wait', async () => {
    const controller = new AbortController();
    const fetch = scriptedFetch([problem('service_unavailable', { 'retry-after': '5' })]);
    const sending = client(fetch, { retry: { ...FAST, maxElapsedMs: 60_000 } }).send(
      { channel: 'o', body: 1 },
      { signal: controller.signal },
    );
    setTimeout(() => {
      controller.abort();
    }, 50);
    const error = await failure(sending);
    expect(error).toMatchObject({ code: 'aborted', status: 0 });
  });

  it('reports an answer that is not JSON as invalid_response', async () => {
    const fetch = scriptedFetch([new Response('<html>', { status: 202 })]);
    expect(await failure(client(fetch).send({ channel: 'o', body: 1 }))).toMatchObject({
      code: 'invalid_response',
      status: 202,
    });
  });
});

describe('sendBatch', () => {
  const accepted = (index: number) => ({ ...ACCEPTED, id: `id-${index}`, index });

  it('splits into requests of at most the API limit and merges the results in input order', async () => {
    const messages = Array.from({ length: LIMITS.batchMaxMessages + 5 }, (_, i) => ({
      channel: 'c',
      body: i,
    }));
    const answer = (count: number, rejectAt: number) =>
      json(202, {
        accepted: count - 1,
        rejected: 1,
        results: Array.from({ length: count }, (_, i) =>
          i === rejectAt
            ? { index: i, status: 'rejected', code: 'enqueue_failed', detail: 'x', retryable: true }
            : accepted(i),
        ),
      });
    const fetch = scriptedFetch([answer(LIMITS.batchMaxMessages, 3), answer(5, 1)]);
    const result = await client(fetch).sendBatch(messages);
    expect(
      fetch.calls.map(
        (call) => (JSON.parse(call.body ?? '') as { messages: unknown[] }).messages.length,
      ),
    ).toEqual([LIMITS.batchMaxMessages, 5]);
    expect(result.results.map((entry) => entry.index)).toEqual(messages.map((_, i) => i));
    expect(result.results[3]).toMatchObject({ status: 'rejected', code: 'enqueue_failed' });
    expect(result.results[LIMITS.batchMaxMessages + 1]).toMatchObject({ status: 'rejected' });
    expect(result.results[LIMITS.batchMaxMessages + 2]).toMatchObject({
      status: 'accepted',
      id: 'id-2',
    });
    expect(result).toMatchObject({ accepted: messages.length - 2, rejected: 2 });
    expect(result.failure).toBeUndefined();
  });

  it('answers a request refused with 422 entry by entry, with each entry’s own errors', async () => {
    const fetch = scriptedFetch([
      problem(
        'validation_failed',
        {},
        {
          errors: [
            { path: '/messages/0/channel', message: 'must not be empty' },
            { path: '/messages/1/body', message: 'too big' },
          ],
        },
      ),
    ]);
    const result = await client(fetch).sendBatch([
      { channel: '', body: 1 },
      { channel: 'c', body: 2 },
    ]);
    expect(result.results).toEqual([
      {
        index: 0,
        status: 'rejected',
        code: 'validation_failed',
        detail: '/channel: must not be empty',
        retryable: false,
      },
      {
        index: 1,
        status: 'rejected',
        code: 'validation_failed',
        detail: '/body: too big',
        retryable: false,
      },
    ]);
  });

  it('reports a request that failed as a whole in failure and leaves later ones unsent', async () => {
    const messages = Array.from({ length: LIMITS.batchMaxMessages * 3 }, (_, i) => ({
      channel: 'c',
      body: i,
    }));
    const ok = json(202, {
      accepted: LIMITS.batchMaxMessages,
      rejected: 0,
      results: Array.from({ length: LIMITS.batchMaxMessages }, (_, i) => accepted(i)),
    });
    const fetch = scriptedFetch([
      ok,
      ...Array.from({ length: 4 }, () => problem('service_unavailable', { 'retry-after': '0' })),
    ]);
    const result = await client(fetch).sendBatch(messages);
    expect(fetch.calls).toHaveLength(5);
    expect(result.accepted).toBe(LIMITS.batchMaxMessages);
    expect(result.failure).toMatchObject({ code: 'service_unavailable', attempts: 4 });
    expect(result.results[LIMITS.batchMaxMessages]).toMatchObject({
      status: 'rejected',
      code: 'service_unavailable',
      retryable: true,
    });
    expect(result.results.at(-1)).toMatchObject({
      status: 'rejected',
      retryable: true,
      detail: 'not sent: an earlier request failed',
    });
  });

  it('does not repeat a batch after a network failure and marks its outcome unknown', async () => {
    const fetch = scriptedFetch([new TypeError('fetch failed')]);
    const result = await client(fetch).sendBatch([{ channel: 'c', body: 1 }]);
    expect(fetch.calls).toHaveLength(1);
    expect(result.results[0]).toMatchObject({ code: 'network_error', retryable: false });
    expect(result.results[0]?.status === 'rejected' && result.results[0].detail).toMatch(
      /outcome unknown/,
    );
  });

  it('rejects locally a message no request can carry, without sending it', async () => {
    const fetch = scriptedFetch([json(202, { accepted: 1, rejected: 0, results: [accepted(0)] })]);
    const result = await client(fetch).sendBatch([
      { channel: 'c', body: 'x'.repeat(LIMITS.requestMaxBytes) },
      { channel: 'c', body: 1 },
    ]);
    expect(result.results[0]).toMatchObject({
      index: 0,
      status: 'rejected',
      code: 'payload_too_large',
      retryable: false,
    });
    expect(result.results[1]).toMatchObject({ index: 1, status: 'accepted' });
    expect(fetch.calls).toHaveLength(1);
  });
});

describe('get and history', () => {
  it('gets a status by id, encoding it, and retries a GET after a network failure', async () => {
    const status = { id: ACCEPTED.id, status: 'stored' };
    const fetch = scriptedFetch([new TypeError('fetch failed'), json(200, status)]);
    await expect(client(fetch).get('a/b')).resolves.toEqual(status);
    expect(fetch.calls[1]?.url).toBe(`${BASE}/v1/messages/a%2Fb`);
  });

  it('throws not_found for an unknown id', async () => {
    const fetch = scriptedFetch([problem('not_found')]);
    expect(await failure(client(fetch).get(ACCEPTED.id))).toMatchObject({
      code: 'not_found',
      status: 404,
    });
  });

  it('iterates every page through the cursors, fetching lazily', async () => {
    const item = (n: number) => ({ id: `m${n}` });
    const fetch = scriptedFetch([
      json(200, { items: [item(1), item(2)], nextCursor: 'c1' }),
      json(200, { items: [item(3)], nextCursor: null }),
    ]);
    const herald = client(fetch);
    const iterator = herald.history('orders', { pageSize: 2 });
    expect((await iterator.next()).value).toEqual(item(1));
    expect(fetch.calls).toHaveLength(1);
    const rest: unknown[] = [];
    for await (const message of iterator) rest.push(message);
    expect(rest).toEqual([item(2), item(3)]);
    expect(fetch.calls.map((call) => call.url)).toEqual([
      `${BASE}/v1/channels/orders/messages?limit=2`,
      `${BASE}/v1/channels/orders/messages?limit=2&cursor=c1`,
    ]);
  });
});
