import '@herald/testing';
import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createApiKey, createDatabase, createPool } from '@herald/db';
import { TokenBucketRateLimiter } from './rate-limit/token-bucket';
import { stackApp, type StackApp } from '../test/stack-app';

const stack = inject('stack');
const owner = createPool({ connectionString: stack.databaseUrl, max: 2 });
const UNKNOWN_KEYS = 3_000;
const CONCURRENCY = 30;
let validKey = '';

beforeAll(async () => {
  const tenant = `cost-${randomUUID().slice(0, 8)}`;
  validKey = (
    await createApiKey(createDatabase(owner), { tenant, name: 'r', scopes: ['messages:read'] })
  ).key;
});

afterAll(async () => {
  await owner.end();
});

const percentile = (values: number[], p: number) =>
  [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(values.length * p))] ??
  NaN;

/**
 * A valid key's latency while 3,000 random unknown keys arrive from one address, and how many of
 * those reached the key lookup (a PostgreSQL round trip each).
 */
async function underAttack(target: StackApp) {
  const lookups = vi.spyOn(target.deps.keys, 'verify');
  const get = (key: string) =>
    target.app.request(`/v1/messages/${randomUUID()}`, {
      headers: { authorization: `Bearer ${key}` },
    });
  expect((await get(validKey)).status).toBe(404); // cached from here on
  lookups.mockClear();
  const statuses = new Map<number, number>();
  let sent = 0;
  const attackers = Array.from({ length: CONCURRENCY }, async () => {
    while (sent < UNKNOWN_KEYS) {
      sent += 1;
      const status = (await get(`hk_${randomBytes(18).toString('base64url')}`)).status;
      statuses.set(status, (statuses.get(status) ?? 0) + 1);
      // A fixed offered load (about 300 keys a second) in both runs: in one process a 429
      // answered at once would otherwise only make the attacker spin faster.
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  });
  const latencies: number[] = [];
  let validFailed = 0;
  const started = performance.now();
  const state = { attacking: true };
  const all = Promise.all(attackers).then(() => {
    state.attacking = false;
  });
  while (state.attacking) {
    const at = performance.now();
    // 404: authenticated, the message is unknown. Anything else is the attack hurting it.
    if ((await get(validKey)).status !== 404) validFailed += 1;
    latencies.push(performance.now() - at);
  }
  await all;
  const seconds = (performance.now() - started) / 1000;
  return {
    p50: percentile(latencies, 0.5),
    p99: percentile(latencies, 0.99),
    validRequests: latencies.length,
    validFailed,
    lookups: lookups.mock.calls.length,
    seconds,
    statuses: Object.fromEntries(statuses),
  };
}

describe('the cost of unknown keys (issue 9, defect 7)', () => {
  it('bounds the lookups random keys from one address cause, and keeps valid keys served', async () => {
    const unlimited = stackApp(stack, {
      authFailures: new TokenBucketRateLimiter({ ratePerSecond: 1e9, burst: 1e9 }),
    });
    const limited = stackApp(stack, {
      authFailures: new TokenBucketRateLimiter({ ratePerSecond: 1, burst: 20 }),
    });
    try {
      const before = await underAttack(unlimited);
      const after = await underAttack(limited);
      console.info(`auth cost: ${JSON.stringify({ before, after })}`);
      // (+1: the valid key's cache entry may expire during a slow run.)
      expect(before.lookups).toBeGreaterThanOrEqual(UNKNOWN_KEYS);
      // The budget: 20 at once, then one a second.
      expect(after.lookups).toBeLessThanOrEqual(20 + Math.ceil(after.seconds) + 1);
      expect(after.statuses[429]).toBeGreaterThan(UNKNOWN_KEYS / 2);
      expect(after.validFailed).toBe(0);
    } finally {
      await unlimited.close();
      await limited.close();
    }
  }, 180_000);
});
