import { describe, expect, it } from 'vitest';
import { LIMITS } from '@herald/contracts';
import { getWith, KEYS, postJson, testApp } from '../test/fakes';

const valid = { channel: 'orders', body: 'hello' };
const many = (count: number) =>
  Object.fromEntries(Array.from({ length: count }, (_, i) => [`k${i}`, 'v']));

interface Case {
  readonly name: string;
  readonly path?: string;
  readonly init: RequestInit;
  readonly status: number;
  readonly code: string;
  /** A JSON pointer the problem's `errors` must name. */
  readonly pointer?: string;
}

const cases: Case[] = [
  { name: 'an empty body', init: postJson(''), status: 400, code: 'malformed_json' },
  {
    name: 'malformed JSON',
    init: postJson('{"channel": "orders",'),
    status: 400,
    code: 'malformed_json',
  },
  {
    name: 'a body that is not UTF-8',
    init: { ...postJson(''), body: new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]) },
    status: 400,
    code: 'malformed_json',
  },
  {
    name: 'a JSON array instead of an object',
    init: postJson([valid]),
    status: 422,
    code: 'validation_failed',
    pointer: '',
  },
  {
    name: 'a numeric channel',
    init: postJson({ ...valid, channel: 42 }),
    status: 422,
    code: 'validation_failed',
    pointer: '/channel',
  },
  {
    name: 'a missing body field',
    init: postJson({ channel: 'orders' }),
    status: 422,
    code: 'validation_failed',
    pointer: '/body',
  },
  {
    name: 'a channel with a slash',
    init: postJson({ ...valid, channel: 'a/b' }),
    status: 422,
    code: 'validation_failed',
    pointer: '/channel',
  },
  {
    name: 'a too long channel',
    init: postJson({ ...valid, channel: 'c'.repeat(LIMITS.channelMaxLength + 1) }),
    status: 422,
    code: 'validation_failed',
    pointer: '/channel',
  },
  {
    name: 'a body over the limit',
    init: postJson({ ...valid, body: 'x'.repeat(LIMITS.bodyMaxBytes + 1) }),
    status: 422,
    code: 'validation_failed',
    pointer: '/body',
  },
  {
    name: 'an unknown priority',
    init: postJson({ ...valid, priority: 'urgent' }),
    status: 422,
    code: 'validation_failed',
    pointer: '/priority',
  },
  {
    name: 'an unknown field',
    init: postJson({ ...valid, color: 'red' }),
    status: 422,
    code: 'validation_failed',
    pointer: '/color',
  },
  {
    name: 'too many attributes',
    init: postJson({ ...valid, attributes: many(LIMITS.attributesMaxCount + 1) }),
    status: 422,
    code: 'validation_failed',
    pointer: '/attributes',
  },
  {
    name: 'a numeric attribute value',
    init: postJson({ ...valid, attributes: { a: 1 } }),
    status: 422,
    code: 'validation_failed',
    pointer: '/attributes/a',
  },
  {
    name: 'an empty sender',
    init: postJson({ ...valid, sender: '' }),
    status: 422,
    code: 'validation_failed',
    pointer: '/sender',
  },
  {
    name: 'JSON nested too deep',
    init: postJson({ ...valid, body: JSON.parse('['.repeat(40) + ']'.repeat(40)) as unknown }),
    status: 422,
    code: 'validation_failed',
    pointer: '',
  },
  {
    name: 'a bad Idempotency-Key',
    init: postJson(valid, KEYS.writer, { 'idempotency-key': 'has space' }),
    status: 422,
    code: 'validation_failed',
    pointer: '/headers/idempotency-key',
  },
  {
    name: 'an oversize request',
    init: postJson({ ...valid, body: 'x'.repeat(LIMITS.requestMaxBytes) }),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'an oversize declared Content-Length',
    init: postJson(valid, KEYS.writer, { 'content-length': String(LIMITS.requestMaxBytes + 1) }),
    status: 413,
    code: 'payload_too_large',
  },
  {
    name: 'a text/plain body',
    init: postJson(valid, KEYS.writer, { 'content-type': 'text/plain' }),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'a latin-1 JSON body',
    init: postJson(valid, KEYS.writer, { 'content-type': 'application/json; charset=latin1' }),
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'no content type',
    init: {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.writer}` },
      body: JSON.stringify(valid),
    },
    status: 415,
    code: 'unsupported_media_type',
  },
  {
    name: 'no API key',
    init: { ...postJson(valid), headers: { 'content-type': 'application/json' } },
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'a malformed Authorization header',
    init: postJson(valid, KEYS.writer, { authorization: `Basic ${KEYS.writer}` }),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'an unknown API key',
    init: postJson(valid, 'hk_not_a_real_key_000000'),
    status: 401,
    code: 'unauthorized',
  },
  {
    name: 'a revoked API key',
    init: postJson(valid, KEYS.revoked),
    status: 401,
    code: 'unauthorized',
  },
  { name: 'a read-only key', init: postJson(valid, KEYS.reader), status: 403, code: 'forbidden' },
  {
    name: 'a batch with a read-only key',
    path: '/v1/messages/batch',
    init: postJson({ messages: [valid] }, KEYS.reader),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'an empty batch',
    path: '/v1/messages/batch',
    init: postJson({ messages: [] }),
    status: 422,
    code: 'validation_failed',
    pointer: '/messages',
  },
  {
    name: 'a batch over the limit',
    path: '/v1/messages/batch',
    init: postJson({ messages: Array.from({ length: LIMITS.batchMaxMessages + 1 }, () => valid) }),
    status: 422,
    code: 'validation_failed',
    pointer: '/messages',
  },
  {
    name: 'a batch with an unknown field',
    path: '/v1/messages/batch',
    init: postJson({ messages: [valid], extra: true }),
    status: 422,
    code: 'validation_failed',
    pointer: '/extra',
  },
  {
    name: 'a batch whose entries are all invalid',
    path: '/v1/messages/batch',
    init: postJson({ messages: [{ channel: '' }, 7] }),
    status: 422,
    code: 'validation_failed',
    pointer: '/messages/0/channel',
  },
  {
    name: 'a batch with an Idempotency-Key',
    path: '/v1/messages/batch',
    init: postJson({ messages: [valid] }, KEYS.writer, { 'idempotency-key': 'k1' }),
    status: 400,
    code: 'bad_request',
  },
  {
    name: 'a batch of malformed JSON',
    path: '/v1/messages/batch',
    init: postJson('{"messages": ['),
    status: 400,
    code: 'malformed_json',
  },
  {
    name: 'a status read with a write-only key',
    path: '/v1/messages/0193a1b2-0000-7000-8000-000000000000',
    init: getWith(KEYS.writer),
    status: 403,
    code: 'forbidden',
  },
  {
    name: 'a status read of a malformed id',
    path: '/v1/messages/not-a-uuid',
    init: getWith(),
    status: 422,
    code: 'validation_failed',
    pointer: '/path/id',
  },
  {
    name: 'a status read of an unknown id',
    path: '/v1/messages/0193a1b2-0000-7000-8000-000000000000',
    init: getWith(),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'another tenant’s message',
    path: '/v1/messages/0193a1b2-0000-7000-8000-0000000000aa',
    init: getWith(KEYS.other),
    status: 404,
    code: 'not_found',
  },
  {
    name: 'a history page over the limit',
    path: '/v1/channels/orders/messages?limit=101',
    init: getWith(),
    status: 422,
    code: 'validation_failed',
    pointer: '/query/limit',
  },
  {
    name: 'a history cursor this API never issued',
    path: '/v1/channels/orders/messages?cursor=bm9wZQ',
    init: getWith(),
    status: 422,
    code: 'validation_failed',
    pointer: '/query/cursor',
  },
  {
    name: 'a history cursor with a year past 9999 (once a 503 from PostgreSQL)',
    path: `/v1/channels/orders/messages?cursor=${Buffer.from('v1|999999999999999|01a23318-b289-7385-baef-bd03e2a78fb3').toString('base64url')}`,
    init: getWith(),
    status: 422,
    code: 'validation_failed',
    pointer: '/query/cursor',
  },
  {
    name: 'an unknown history parameter',
    path: '/v1/channels/orders/messages?sort=asc',
    init: getWith(),
    status: 422,
    code: 'validation_failed',
    pointer: '/query/sort',
  },
  {
    name: 'a bad channel in the path',
    path: '/v1/channels/.hidden/messages',
    init: getWith(),
    status: 422,
    code: 'validation_failed',
    pointer: '/path/channel',
  },
  { name: 'an unknown path', path: '/v1/nope', init: getWith(), status: 404, code: 'not_found' },
];

describe.each(cases)('$name', ({ path = '/v1/messages', init, status, code, pointer }) => {
  it(`answers ${status} ${code} as a problem document and enqueues nothing`, async () => {
    const { app, queue, statuses, messages } = testApp();
    // A stored message of tenant acme, which other tenants must not see.
    statuses.set('acme', '0193a1b2-0000-7000-8000-0000000000aa', 'stored');
    messages.rows.push({
      tenant: 'acme',
      id: '0193a1b2-0000-7000-8000-0000000000aa',
      channel: 'orders',
      body: 'hi',
      sender: null,
      attributes: {},
      priority: 'normal',
      acceptedAt: '2026-01-01T00:00:00.000Z',
      storedAt: '2026-01-01T00:00:01.000Z',
    });
    const response = await app.request(path, init);
    expect(response.status).toBe(status);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    const problem = (await response.json()) as {
      code: string;
      status: number;
      requestId: string;
      errors?: { path: string }[];
    };
    expect(problem).toMatchObject({ code, status });
    expect(problem.requestId).toBe(response.headers.get('x-request-id'));
    if (pointer !== undefined)
      expect(problem.errors?.map((error) => error.path)).toContain(pointer);
    expect(queue.sent).toEqual([]);
  });
});

describe('a chunked request body without Content-Length', () => {
  it('is still bounded: 413 once the stream passes the limit', async () => {
    const { app, queue } = testApp();
    const chunk = new TextEncoder().encode('x'.repeat(64 * 1024));
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        sent += chunk.byteLength;
        if (sent > LIMITS.requestMaxBytes * 4) controller.close();
        else controller.enqueue(chunk);
      },
    });
    const request = new Request('http://ingest/v1/messages', {
      method: 'POST',
      headers: { authorization: `Bearer ${KEYS.writer}`, 'content-type': 'application/json' },
      body: stream,
      duplex: 'half',
    });
    const response = await app.request(request);
    expect(response.status).toBe(413);
    expect(sent).toBeLessThan(LIMITS.requestMaxBytes * 2);
    expect(queue.sent).toEqual([]);
  });
});
