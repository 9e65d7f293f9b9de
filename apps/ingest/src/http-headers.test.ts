import { describe, expect, it } from 'vitest';
import { getWith, KEYS, postJson, testApp } from '../test/fakes';

const ID = '0193a1b2-0000-7000-8000-0000000000aa';

function seeded() {
  const target = testApp();
  target.statuses.set('acme', ID, 'stored');
  target.messages.rows.push({
    tenant: 'acme',
    id: ID,
    channel: 'orders',
    body: 'hi',
    sender: null,
    attributes: {},
    priority: 'normal',
    acceptedAt: '2026-01-01T00:00:00.000Z',
    storedAt: '2026-01-01T00:00:01.000Z',
  });
  return target;
}

// Issue 9, defect 9.
describe('response headers', () => {
  it.each([
    ['a 202', '/v1/messages', postJson({ channel: 'orders', body: 'x' })],
    ['a 422', '/v1/messages', postJson({ channel: '' })],
    ['a 401', '/v1/messages', { method: 'POST' }],
    ['a 404', '/nope', {}],
    ['a message', `/v1/messages/${ID}`, getWith()],
    ['/healthz', '/healthz', {}],
    ['/openapi.json', '/openapi.json', {}],
  ])('sends X-Content-Type-Options: nosniff on %s', async (_name, path, init) => {
    const response = await seeded().app.request(path, init);
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  });

  it.each([`/v1/messages/${ID}`, '/v1/channels/orders/messages'])(
    'marks the 200 of GET %s private and not storable',
    async (path) => {
      const response = await seeded().app.request(path, getWith());
      expect(response.status).toBe(200);
      expect(response.headers.get('cache-control')).toBe('private, no-store');
    },
  );

  it('sends HSTS when TLS terminated in front (X-Forwarded-Proto: https), not otherwise', async () => {
    const { app } = testApp();
    const tls = await app.request('/healthz', { headers: { 'x-forwarded-proto': 'https' } });
    expect(tls.headers.get('strict-transport-security')).toBe(
      'max-age=31536000; includeSubDomains',
    );
    const plain = await app.request('/healthz');
    expect(plain.headers.get('strict-transport-security')).toBeNull();
  });
});

describe('wrong methods', () => {
  it.each([
    ['DELETE', '/v1/messages', 'POST'],
    ['GET', '/v1/messages', 'POST'],
    ['PUT', `/v1/messages/${ID}`, 'GET, HEAD'],
    ['POST', '/v1/channels/orders/messages', 'GET, HEAD'],
    ['POST', '/healthz', 'GET, HEAD'],
  ])('answers %s %s with 405 method_not_allowed and Allow: %s', async (method, path, allow) => {
    const { app, queue } = testApp();
    const response = await app.request(path, {
      method,
      headers: { authorization: `Bearer ${KEYS.both}` },
    });
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe(allow);
    expect(((await response.json()) as { code: string }).code).toBe('method_not_allowed');
    expect(queue.sent).toEqual([]);
  });

  it('still answers 404 for a path no method serves', async () => {
    const response = await testApp().app.request('/v1/nothing', getWith());
    expect(response.status).toBe(404);
  });
});
