import '@herald/testing';
import { randomUUID } from 'node:crypto';
import { HeraldApiError, HeraldClient, type HeraldClientOptions } from '@herald/client';
import { LIMITS } from '@herald/contracts';
import { controlStack } from '@herald/testing';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startHeraldServices, untilStored, type HeraldServices } from './herald-services';

const stack = inject('stack');
let services: HeraldServices;

beforeAll(async () => {
  // Short Retry-After and AWS timeouts: the suspended-edge tests see 503s quickly.
  services = await startHeraldServices(stack, {
    RETRY_AFTER_SECONDS: '1',
    AWS_REQUEST_TIMEOUT_MS: '1000',
    RATE_LIMIT_PER_SECOND: '1000',
    RATE_LIMIT_BURST: '1000',
  });
});

afterAll(async () => {
  await services.stop();
});

/** A client whose fetch records the status of every answer (0: no answer). */
function recordingClient(options: Partial<HeraldClientOptions> = {}) {
  const statuses: number[] = [];
  const client = new HeraldClient({
    baseUrl: services.apiUrl,
    apiKey: services.apiKey,
    fetch: async (input, init) => {
      try {
        const response = await fetch(input, init);
        statuses.push(response.status);
        return response;
      } catch (error) {
        statuses.push(0);
        throw error;
      }
    },
    ...options,
  });
  return { client, statuses };
}

const channel = () => `c-${randomUUID().slice(0, 8)}`;

describe('HeraldClient against the real ingest', () => {
  it('sends, replays an idempotency key, gets the stored status and iterates the history', async () => {
    const { client } = recordingClient();
    const orders = channel();
    const first = await client.send(
      { channel: orders, body: { n: 1 } },
      { idempotencyKey: `k-${orders}` },
    );
    const replay = await client.send(
      { channel: orders, body: { n: 1 } },
      { idempotencyKey: `k-${orders}` },
    );
    expect(replay).toMatchObject({ id: first.id, replayed: true });
    const second = await client.send({ channel: orders, body: 'two', priority: 'high' });
    const third = await client.send({ channel: orders, body: [3] });
    const stored = await untilStored(client, third.id);
    expect(stored.message).toMatchObject({ channel: orders, body: [3] });
    await untilStored(client, first.id);
    await untilStored(client, second.id);
    const ids: string[] = [];
    // pageSize 2: the third message comes through the cursor of the first page.
    for await (const message of client.history(orders, { pageSize: 2 })) ids.push(message.id);
    expect(ids).toEqual([third.id, second.id, first.id]);
  });

  it('splits a batch at the API limits and merges the results in input order', async () => {
    const { client, statuses } = recordingClient();
    const batchChannel = channel();
    const count = LIMITS.batchMaxMessages * 2 + 10;
    const messages = Array.from({ length: count }, (_, i) =>
      i === 7 ? { channel: '', body: i } : { channel: batchChannel, body: i },
    );
    const result = await client.sendBatch(messages);
    expect(statuses).toEqual([202, 202, 202]);
    expect(result.results.map((entry) => entry.index)).toEqual(messages.map((_, i) => i));
    expect(result.results[7]).toMatchObject({
      status: 'rejected',
      code: 'validation_failed',
      retryable: false,
    });
    expect(result).toMatchObject({ accepted: count - 1, rejected: 1 });
    const last = result.results.at(-1);
    expect(last?.status).toBe('accepted');
    if (last?.status === 'accepted') {
      const stored = await untilStored(client, last.id);
      expect(stored.message?.body).toBe(count - 1);
    }
  });

  it('splits by bytes: six 200 KiB messages travel in two requests under 1 MiB', async () => {
    const { client, statuses } = recordingClient();
    const body = 'x'.repeat(200 * 1024);
    const result = await client.sendBatch(
      Array.from({ length: 6 }, () => ({ channel: channel(), body })),
    );
    expect(statuses).toEqual([202, 202]);
    expect(result.accepted).toBe(6);
  });

  it('answers problem documents as HeraldApiError with code, status and request id', async () => {
    const { client } = recordingClient({ apiKey: 'hk_not_a_real_key_0000000000000000000000' });
    const error = await client.get(randomUUID()).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(HeraldApiError);
    expect(error).toMatchObject({ code: 'unauthorized', status: 401, attempts: 1 });
    expect((error as HeraldApiError).requestId).toMatch(/^[0-9a-f-]{36}$/);
    const valid = recordingClient().client;
    await expect(valid.get(randomUUID())).rejects.toMatchObject({ code: 'not_found', status: 404 });
    await expect(valid.send({ channel: 'bad channel', body: 1 })).rejects.toMatchObject({
      code: 'validation_failed',
      status: 422,
      errors: [expect.objectContaining({ path: '/channel' })],
    });
  });

  it('reports a refused connection as network_error', async () => {
    const client = new HeraldClient({
      baseUrl: 'http://127.0.0.1:9',
      apiKey: 'k',
      retry: { maxAttempts: 2, baseDelayMs: 1 },
    });
    await expect(client.get(randomUUID())).rejects.toMatchObject({
      code: 'network_error',
      status: 0,
      attempts: 2,
    });
  });
});

describe('HeraldClient against a suspended edge', () => {
  it('retries the 503s of a send without a key and succeeds once the edge is back', async () => {
    const { client, statuses } = recordingClient({
      retry: { maxAttempts: 30, maxElapsedMs: 90_000, baseDelayMs: 200, maxDelayMs: 1_000 },
    });
    const outage = channel();
    await controlStack(stack, 'aws', 'stop');
    let accepted;
    try {
      const sending = client.send({ channel: outage, body: 'through the outage' });
      // Resume only after the ingest answered at least two 503s.
      const deadline = Date.now() + 60_000;
      while (statuses.filter((status) => status === 503).length < 2 && Date.now() < deadline)
        await new Promise((done) => setTimeout(done, 100));
      await controlStack(stack, 'aws', 'start');
      accepted = await sending;
    } finally {
      await controlStack(stack, 'aws', 'start');
    }
    expect(statuses.filter((status) => status === 503).length).toBeGreaterThanOrEqual(2);
    expect(statuses.at(-1)).toBe(202);
    await untilStored(client, accepted.id);
    // Every 503 meant "not enqueued": the retries left exactly one message.
    const stored = [];
    for await (const message of client.history(outage)) stored.push(message.id);
    expect(stored).toEqual([accepted.id]);
  }, 120_000);

  it('gives up with HeraldApiError service_unavailable after its bound', async () => {
    const { client, statuses } = recordingClient({
      retry: { maxAttempts: 3, maxElapsedMs: 60_000, baseDelayMs: 100, maxDelayMs: 500 },
    });
    await controlStack(stack, 'aws', 'stop');
    let error: unknown;
    try {
      error = await client.send({ channel: channel(), body: 1 }).catch((caught: unknown) => caught);
    } finally {
      await controlStack(stack, 'aws', 'start');
    }
    expect(error).toBeInstanceOf(HeraldApiError);
    expect(error).toMatchObject({
      code: 'service_unavailable',
      status: 503,
      attempts: 3,
      retryAfterMs: 1_000,
    });
    expect(statuses).toEqual([503, 503, 503]);
  }, 120_000);
});
