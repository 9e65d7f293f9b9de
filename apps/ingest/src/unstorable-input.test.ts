import { describe, expect, it } from 'vitest';
import { postJson, testApp } from '../test/fakes';

/**
 * docs/invariants.md#6, the converse: what the API accepts the worker can store unchanged. Each of these
 * was once answered 202 and then dead-lettered or stored changed (issue 9, defects 1-3); each
 * must be refused with a 422 naming the JSON pointer of the offending value.
 */
const cases: { name: string; text: string; pointer: string }[] = [
  { name: 'a null body', text: '{"channel":"x","body":null}', pointer: '/body' },
  { name: 'a body of 1e400 (Infinity)', text: '{"channel":"x","body":1e400}', pointer: '/body' },
  {
    name: 'a nested 1e400',
    text: '{"channel":"x","body":{"a":[1,-1e400]}}',
    pointer: '/body/a/1',
  },
  {
    name: 'a tiny 1e-400 (reads back as 0)',
    text: '{"channel":"x","body":1e-400}',
    pointer: '/body',
  },
  { name: 'a lone surrogate body', text: '{"channel":"x","body":"\\ud800"}', pointer: '/body' },
  {
    name: 'a lone low surrogate deep in the body',
    text: '{"channel":"x","body":{"a":{"b":["ok","x\\udc00y"]}}}',
    pointer: '/body/a/b/1',
  },
  {
    name: 'a lone surrogate in a body key',
    text: '{"channel":"x","body":{"k\\ud800":1}}',
    pointer: '/body/k\ud800',
  },
  {
    name: 'a lone surrogate in an attribute value',
    text: '{"channel":"x","body":"b","attributes":{"a":"\\ud800"}}',
    pointer: '/attributes/a',
  },
  {
    name: 'a lone surrogate in the sender',
    text: '{"channel":"x","body":"b","sender":"\\udfff"}',
    pointer: '/sender',
  },
  {
    name: 'a __proto__ key in the body',
    text: '{"channel":"x","body":{"__proto__":{"polluted":true},"x":1}}',
    pointer: '/body/__proto__',
  },
  {
    name: 'a __proto__ attribute key',
    text: '{"channel":"x","body":"b","attributes":{"__proto__":"v"}}',
    pointer: '/attributes/__proto__',
  },
  { name: '2^64', text: '{"channel":"x","body":18446744073709551616}', pointer: '/body' },
  {
    name: '9007199254740993',
    text: '{"channel":"x","body":{"n":9007199254740993}}',
    pointer: '/body/n',
  },
  { name: '-0', text: '{"channel":"x","body":[-0]}', pointer: '/body/0' },
  { name: '-0.0e3', text: '{"channel":"x","body":{"z":-0.0e3}}', pointer: '/body/z' },
  {
    name: 'a decimal with more digits than a double holds',
    text: '{"channel":"x","body":0.1000000000000000000001}',
    pointer: '/body',
  },
];

describe.each(cases)('$name', ({ text, pointer }) => {
  it('answers 422 naming the pointer and enqueues nothing', async () => {
    const { app, queue } = testApp();
    const response = await app.request('/v1/messages', postJson(text));
    expect(response.status).toBe(422);
    const problem = (await response.json()) as { code: string; errors?: { path: string }[] };
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors?.map((error) => error.path)).toContain(pointer);
    expect(queue.sent).toEqual([]);
  });

  it('rejects the same entry in a batch, by index, and enqueues the good one', async () => {
    const { app, queue } = testApp();
    const batch = `{"messages":[{"channel":"ok","body":"fine"},${text}]}`;
    const response = await app.request('/v1/messages/batch', postJson(batch));
    expect(response.status).toBe(202);
    const result = (await response.json()) as {
      results: { status: string; code?: string; detail?: string }[];
    };
    expect(result.results[0]?.status).toBe('accepted');
    expect(result.results[1]).toMatchObject({ status: 'rejected', code: 'validation_failed' });
    expect(result.results[1]?.detail).toContain(`/messages/1${pointer}:`);
    expect(queue.sent).toHaveLength(1);
  });
});

describe('numbers a double holds exactly', () => {
  it.each([
    ['0.1', 0.1],
    ['1.0', 1],
    ['1E2', 100],
    ['9007199254740992', 9007199254740992],
    ['1.7976931348623157e308', Number.MAX_VALUE],
    ['5e-324', Number.MIN_VALUE],
    ['0.30000000000000004', 0.30000000000000004],
    ['-12.5e-1', -1.25],
    ['0', 0],
  ])('accepts %s and enqueues its value', async (literal, value) => {
    const { app, queue } = testApp();
    const response = await app.request(
      '/v1/messages',
      postJson(`{"channel":"x","body":{"n":${literal}}}`),
    );
    expect(response.status).toBe(202);
    expect(queue.envelopes()[0]?.body).toEqual({ n: value });
  });

  it('accepts well-formed surrogate pairs and a __proto__ written as text', async () => {
    const { app, queue } = testApp();
    const text = '{"channel":"x","body":{"emoji":"\\ud83d\\ude00","k":"__proto__"}}';
    const response = await app.request('/v1/messages', postJson(text));
    expect(response.status).toBe(202);
    expect(queue.envelopes()[0]?.body).toEqual({ emoji: '😀', k: '__proto__' });
  });
});
