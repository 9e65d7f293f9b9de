import '@herald/testing';
import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createApiKey, createDatabase, createPool } from '@herald/db';
import { createApp } from '../app';
import { startHttpServer } from '../http-server';
import type { MessageQueue } from '../queue/message-queue';
import { receiveEnvelopes, stackApp, stackSqs, type StackApp } from '../../test/stack-app';
import { OverloadShedder } from './overload-shedder';

const stack = inject('stack');
const tenant = `shed-${randomUUID().slice(0, 8)}`;
const sqs = stackSqs(stack);
const MAX_IN_FLIGHT = 8;
const BURST = 120;
let key = '';
let target: StackApp;

beforeAll(async () => {
  const pool = createPool({ connectionString: stack.databaseUrl, max: 1 });
  key = (
    await createApiKey(createDatabase(pool), { tenant, name: 'shed', scopes: ['messages:write'] })
  ).key;
  await pool.end();
  target = stackApp(stack);
});

afterAll(async () => {
  await target.close();
  sqs.destroy();
});

/** The real SQS queue behind a gate: admitted requests stay in flight until it opens. */
function gated(queue: MessageQueue): { queue: MessageQueue; open(): void } {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    queue: {
      send: async (messages) => {
        await gate;
        return queue.send(messages);
      },
      close: () => queue.close(),
    },
    open: () => {
      open();
    },
  };
}

describe('overload shedding over HTTP, against the real queue', () => {
  it('sheds a burst past the bound with 503 + Retry-After before any admitted request is answered, and loses nothing it acknowledged', async () => {
    const shedder = new OverloadShedder({ maxInFlight: MAX_IN_FLIGHT, maxEventLoopDelayMs: 0 });
    const held = gated(target.deps.queue);
    const app = createApp({ ...target.deps, queue: held.queue, overload: shedder });
    const server = startHttpServer({
      fetch: app.fetch,
      hostname: '127.0.0.1',
      port: 0,
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
    });
    await new Promise<void>((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      let answeredAdmitted = 0;
      const shedWhileHeld: number[] = [];
      const burst = Array.from({ length: BURST }, async (_, seq) => {
        const response = await fetch(`${base}/v1/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
          body: JSON.stringify({ channel: 'burst', body: { seq } }),
          signal: AbortSignal.timeout(30_000),
        });
        const body = (await response.json()) as { id?: string; code?: string };
        if (response.status === 202) answeredAdmitted += 1;
        else shedWhileHeld.push(answeredAdmitted);
        return { status: response.status, retryAfter: response.headers.get('retry-after'), body };
      });
      // Every request beyond the bound is answered while the admitted ones are still held.
      const deadline = Date.now() + 20_000;
      while (shedWhileHeld.length < BURST - MAX_IN_FLIGHT && Date.now() < deadline)
        await new Promise((resolve) => setTimeout(resolve, 20));
      expect(shedder.snapshot().inFlight).toBe(MAX_IN_FLIGHT);
      const health = await fetch(`${base}/healthz`);
      expect(health.status).toBe(200);
      held.open();
      const answers = await Promise.all(burst);

      const accepted = answers.filter((answer) => answer.status === 202);
      const shed = answers.filter((answer) => answer.status !== 202);
      expect(accepted).toHaveLength(MAX_IN_FLIGHT);
      expect(shed).toHaveLength(BURST - MAX_IN_FLIGHT);
      for (const answer of shed) {
        expect(answer).toMatchObject({
          status: 503,
          retryAfter: '2',
          body: { code: 'overloaded' },
        });
      }
      expect(shedWhileHeld.every((admittedBefore) => admittedBefore === 0)).toBe(true);

      const ids = accepted.map((answer) => answer.body.id ?? '');
      const onQueue = await receiveEnvelopes(sqs, stack.queueUrl, ids, 20_000);
      expect([...onQueue.keys()].sort()).toEqual([...ids].sort());
      expect(shedder.snapshot().inFlight).toBe(0);

      const after = await fetch(`${base}/v1/messages`, {
        method: 'POST',
        headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
        body: JSON.stringify({ channel: 'burst', body: 'after' }),
      });
      expect(after.status).toBe(202);
      const afterId = ((await after.json()) as { id: string }).id;
      expect((await receiveEnvelopes(sqs, stack.queueUrl, [afterId])).has(afterId)).toBe(true);
    } finally {
      await new Promise((resolve) => server.close(resolve));
      shedder.close();
    }
  });
});
