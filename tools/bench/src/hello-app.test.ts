import { describe, expect, it } from 'vitest';
import { createHelloApp } from './hello-app';

const post = (body: string) =>
  createHelloApp().request('/', {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body,
  });

describe('baseline B', () => {
  it('answers 202 to a JSON POST', async () => {
    const response = await post('{"channel":"bench","body":{"orderId":1}}');
    expect(response.status).toBe(202);
    expect(await response.json()).toEqual({ status: 'accepted' });
  });

  it('parses every body: one that is not JSON answers 400', async () => {
    expect((await post('{"channel":')).status).toBe(400);
  });
});
