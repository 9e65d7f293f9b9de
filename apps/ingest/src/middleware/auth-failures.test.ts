import { describe, expect, it, vi } from 'vitest';
import { KEYS, postJson, testApp } from '../../test/fakes';
import { DependencyUnavailableError } from '../errors/api-error';
import { TokenBucketRateLimiter } from '../rate-limit/token-bucket';

const message = { channel: 'orders', body: 'hi' };
const unknownKey = (index: number) => `hk_unknown_${String(index).padStart(16, '0')}`;

function limitedApp(burst: number) {
  let now = 0;
  const target = testApp({
    authFailures: new TokenBucketRateLimiter({ ratePerSecond: 1, burst, now: () => now }),
    trustedProxyHops: 1,
  });
  const verify = vi.spyOn(target.keys, 'verify');
  return {
    ...target,
    verify,
    advance: (ms: number) => {
      now += ms;
    },
  };
}

const from = (client: string, key: string) =>
  postJson(message, key, { 'x-forwarded-for': `10.9.9.9, ${client}` });

// Issue 9, defect 7: 3,000 random unknown keys each cost a database round trip and slowed every
// valid key. A client past its failure budget is answered without any lookup.
describe('failed authentications per client', () => {
  it('answers 429 without a lookup once a client spent its failure budget', async () => {
    const { app, verify } = limitedApp(3);
    for (let index = 0; index < 3; index += 1) {
      const response = await app.request('/v1/messages', from('192.0.2.1', unknownKey(index)));
      expect(response.status).toBe(401);
    }
    expect(verify).toHaveBeenCalledTimes(3);
    const blocked = await app.request('/v1/messages', from('192.0.2.1', unknownKey(99)));
    expect(blocked.status).toBe(429);
    expect(blocked.headers.get('retry-after')).toBe('1');
    expect(((await blocked.json()) as { code: string }).code).toBe('rate_limited');
    expect(verify).toHaveBeenCalledTimes(3);
  });

  it('keeps serving a cached valid key of the same client, and other clients', async () => {
    const { app, keys, queue } = limitedApp(2);
    keys.cachedSecrets.add(KEYS.writer);
    for (let index = 0; index < 3; index += 1)
      await app.request('/v1/messages', from('192.0.2.1', unknownKey(index)));
    expect((await app.request('/v1/messages', from('192.0.2.1', KEYS.writer))).status).toBe(202);
    expect((await app.request('/v1/messages', from('192.0.2.2', unknownKey(7)))).status).toBe(401);
    expect(queue.sent).toHaveLength(1);
  });

  it('refills the budget over time', async () => {
    const { app, advance } = limitedApp(1);
    await app.request('/v1/messages', from('192.0.2.1', unknownKey(1)));
    expect((await app.request('/v1/messages', from('192.0.2.1', unknownKey(2)))).status).toBe(429);
    advance(1_000);
    expect((await app.request('/v1/messages', from('192.0.2.1', unknownKey(3)))).status).toBe(401);
  });

  it('does not charge a cached key, known or unknown', async () => {
    const { app, keys, verify } = limitedApp(1);
    keys.cachedSecrets.add(KEYS.writer);
    for (let index = 0; index < 5; index += 1)
      expect((await app.request('/v1/messages', from('192.0.2.1', KEYS.writer))).status).toBe(202);
    expect((await app.request('/v1/messages', from('192.0.2.1', unknownKey(1)))).status).toBe(401);
    expect(verify).toHaveBeenCalledTimes(1);
  });

  it('does not charge a lookup that found its key', async () => {
    const { app, verify } = limitedApp(1);
    for (let index = 0; index < 3; index += 1)
      expect((await app.request('/v1/messages', from('192.0.2.1', KEYS.writer))).status).toBe(202);
    expect(verify).toHaveBeenCalledTimes(3);
    expect((await app.request('/v1/messages', from('192.0.2.1', unknownKey(1)))).status).toBe(401);
  });

  // During a PostgreSQL outage, every producer behind one address whose key was past its cache
  // TTL was told 429 "too many failed authentications" after the burst: the outage is a 503.
  it('does not charge a lookup the key store could not answer', async () => {
    const { app, verify } = limitedApp(2);
    verify.mockRejectedValue(new DependencyUnavailableError('postgres'));
    const answers = [];
    for (let index = 0; index < 5; index += 1)
      answers.push((await app.request('/v1/messages', from('192.0.2.1', KEYS.writer))).status);
    expect(answers).toEqual([503, 503, 503, 503, 503]);
    verify.mockRestore();
    expect((await app.request('/v1/messages', from('192.0.2.1', unknownKey(1)))).status).toBe(401);
    expect((await app.request('/v1/messages', from('192.0.2.1', unknownKey(2)))).status).toBe(401);
    expect((await app.request('/v1/messages', from('192.0.2.1', unknownKey(3)))).status).toBe(429);
  });

  it('lets only the budget through when guesses arrive at once', async () => {
    const { app, verify } = limitedApp(3);
    const answers = await Promise.all(
      Array.from({ length: 20 }, async (_, index) =>
        app.request('/v1/messages', from('192.0.2.1', unknownKey(index))),
      ),
    );
    expect(verify).toHaveBeenCalledTimes(3);
    expect(answers.filter((answer) => answer.status === 429)).toHaveLength(17);
  });
});
