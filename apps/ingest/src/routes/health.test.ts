import { describe, expect, it } from 'vitest';
import { testApp } from '../../test/fakes';

describe('GET /healthz', () => {
  it('answers 200 without a key', async () => {
    const { app } = testApp();
    const response = await app.request('/healthz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});

describe('GET /readyz', () => {
  it('answers 200 with every check when dependencies are reachable', async () => {
    const { app } = testApp();
    const response = await app.request('/readyz');
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      status: 'ready',
      checks: { postgres: 'ok', sqs: 'ok', dynamodb: 'ok' },
    });
  });

  it('answers 503 naming the failed dependency', async () => {
    const { app, readiness } = testApp();
    readiness.report_ = { ready: false, checks: { postgres: 'ok', sqs: 'failed', dynamodb: 'ok' } };
    const response = await app.request('/readyz');
    expect(response.status).toBe(503);
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(await response.json()).toMatchObject({
      code: 'service_unavailable',
      checks: { sqs: 'failed' },
      draining: false,
    });
  });

  it('answers 503 while draining and asks clients to close their connection', async () => {
    const { app, lifecycle } = testApp();
    lifecycle.startDraining();
    const response = await app.request('/readyz');
    expect(response.status).toBe(503);
    expect(response.headers.get('connection')).toBe('close');
    expect(await response.json()).toMatchObject({ code: 'service_unavailable', draining: true });
  });
});
