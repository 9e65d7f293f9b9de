import { describe, expect, it } from 'vitest';
import type { SendOutcome } from '../queue/message-queue';
import type { OutgoingMessage } from '../queue/outgoing-message';
import { KEYS, postJson, testApp } from '../../test/fakes';
import { OverloadShedder } from './overload-shedder';

/** Holds every send until `open()`: requests stay in flight meanwhile. */
function gatedQueue() {
  let open: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  return {
    gate,
    open: () => {
      open();
    },
  };
}

describe('shedOverload', () => {
  it('answers 503 overloaded with Retry-After past the cap, before authentication, and admits again', async () => {
    const shedder = new OverloadShedder({ maxInFlight: 2, maxEventLoopDelayMs: 0 });
    const t = testApp({ overload: shedder, retryAfterSeconds: 7 });
    const { gate, open } = gatedQueue();
    const send = t.queue.send.bind(t.queue);
    t.queue.send = async (messages: readonly OutgoingMessage[]): Promise<SendOutcome[]> => {
      await gate;
      return send(messages);
    };
    const held = [1, 2].map(async (seq) =>
      t.app.request('/v1/messages', postJson({ channel: 'c', body: { seq } })),
    );
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(shedder.snapshot().inFlight).toBe(2);

    const verified: string[] = [];
    const verify = t.keys.verify.bind(t.keys);
    t.keys.verify = (secret) => {
      verified.push(secret);
      return verify(secret);
    };
    const shed = await t.app.request(
      '/v1/messages',
      postJson({ channel: 'c', body: { seq: 3 } }, 'hk_unknown_key_0123456789'),
    );
    expect(shed.status).toBe(503);
    expect(shed.headers.get('retry-after')).toBe('7');
    expect(shed.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await shed.json()).toMatchObject({ code: 'overloaded', status: 503 });
    expect(verified).toEqual([]);

    const health = await t.app.request('/healthz');
    expect(health.status).toBe(200);
    const ready = await t.app.request('/readyz');
    expect(ready.status).toBe(200);

    open();
    expect((await Promise.all(held)).map((response) => response.status)).toEqual([202, 202]);
    expect(t.queue.sent).toHaveLength(2);
    expect(shedder.snapshot().inFlight).toBe(0);
    const again = await t.app.request('/v1/messages', postJson({ channel: 'c', body: 'x' }));
    expect(again.status).toBe(202);
  });

  it('releases a request that failed', async () => {
    const shedder = new OverloadShedder({ maxInFlight: 1, maxEventLoopDelayMs: 0 });
    const t = testApp({ overload: shedder });
    const refused = await t.app.request('/v1/messages', postJson({ channel: 'c', body: null }));
    expect(refused.status).toBe(422);
    const unauthorized = await t.app.request('/v1/messages', postJson({ channel: 'c' }, 'nope'));
    expect(unauthorized.status).toBe(401);
    expect(shedder.snapshot().inFlight).toBe(0);
    const read = await t.app.request('/v1/messages/01a23318-b289-7385-baef-bd03e2a78fb3', {
      headers: { authorization: `Bearer ${KEYS.reader}` },
    });
    expect(read.status).toBe(404);
    expect(shedder.snapshot().inFlight).toBe(0);
  });

  it('is in the error table the API docs are built from', async () => {
    const response = await testApp().app.request('/openapi.json');
    const document = (await response.json()) as {
      'x-herald-problems': { code: string; status: number; meaning: string }[];
    };
    expect(document['x-herald-problems']).toContainEqual(
      expect.objectContaining({ code: 'overloaded', status: 503 }),
    );
  });

  it('is named in the 503 answer of every /v1 operation it guards', async () => {
    const response = await testApp().app.request('/openapi.json');
    const document = (await response.json()) as {
      paths: Record<string, Record<string, { responses: Record<string, { description: string }> }>>;
    };
    const operations = Object.entries(document.paths)
      .filter(([path]) => path.startsWith('/v1/'))
      .flatMap(([path, methods]) =>
        Object.entries(methods).map(([method, operation]) => ({
          operation: `${method} ${path}`,
          names: operation.responses['503']?.description.includes('`overloaded`') ?? false,
        })),
      );
    expect(operations.length).toBeGreaterThanOrEqual(4);
    expect(operations.filter((entry) => !entry.names)).toEqual([]);
  });
});
